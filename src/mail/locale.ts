/** A BCP 47 language tag as templates accept it: `de`, `pt-BR`, `zh-Hant-TW`. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
export const MAX_LOCALE_LENGTH = 35;

/** The canonical form of a tag (`de-de` → `de-DE`), or null when it is not a well-formed tag. */
export function canonicalLocale(tag: string): string | null {
  if (tag.length > MAX_LOCALE_LENGTH || !LOCALE_PATTERN.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The template locales tried for a user, best first: the user's tag, its language alone, then ''
 * (the account's template for every locale without its own).
 */
export function localeChain(userLocale: string | null | undefined): string[] {
  const canonical = userLocale ? canonicalLocale(userLocale.trim()) : null;
  if (!canonical) return [''];
  const language = new Intl.Locale(canonical).language;
  return [...new Set([canonical, language, ''])];
}
