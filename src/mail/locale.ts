import { canonicalLocale } from '../common/locale.js';

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
