import type { TransformFnParams } from 'class-transformer';

/**
 * A BCP 47 language tag as templates accept it: language, then an optional script, region and variants (`de`,
 * `pt-BR`, `zh-Hant-TW`, `es-419`, `de-CH-1996`), any case. The OpenAPI document publishes it, so it is BCP 47's own
 * grammar for these subtags: every tag it matches is one Intl.getCanonicalLocales takes (but a repeated variant).
 */
export const LOCALE_PATTERN =
  /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$/;
export const MAX_LOCALE_LENGTH = 35;

/** A user's locale: language[-Script][-REGION], in canonical case: `de`, `pt-BR`, `zh-Hant-TW`, `es-419`. */
export const LOCALE_TAG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;
const LOCALE_TAG_ANY_CASE = new RegExp(LOCALE_TAG.source, 'i');

/** The canonical form of a tag (`de-de` → `de-DE`), or null when it is not a well-formed tag. */
export function canonicalLocale(tag: string): string | null {
  if (tag.length > MAX_LOCALE_LENGTH || !LOCALE_PATTERN.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** `PT-br` → `pt-BR` for a user's locale, so template lookups compare like with like; anything else is left to fail. */
export const toCanonicalUserLocale = ({ value }: TransformFnParams): unknown => {
  // Spaces around the tag are dropped; any other character (`en-GB\n`, a tab) is left for the pattern to refuse.
  const tag = typeof value === 'string' ? value.replace(/^ +| +$/g, '') : value;
  if (typeof tag !== 'string' || !LOCALE_TAG_ANY_CASE.test(tag)) return value;
  return canonicalLocale(tag) ?? value;
};
