import { describe, expect, it } from '@jest/globals';
import { canonicalLocale } from '../common/locale.js';
import { localeChain } from './locale.js';

describe('canonicalLocale', () => {
  it.each([
    ['de', 'de'],
    ['DE-de', 'de-DE'],
    ['pt-br', 'pt-BR'],
    ['zh-hant-tw', 'zh-Hant-TW'],
  ])('%s → %s', (tag, canonical) => expect(canonicalLocale(tag)).toBe(canonical));

  it.each(['', 'd', 'german!', 'de_DE', 'en-a', '../etc', 'x'.repeat(40), 'de-DE-'])('rejects %p', (tag) =>
    expect(canonicalLocale(tag)).toBeNull(),
  );
});

describe('localeChain', () => {
  it('tries the exact tag, then its language, then the account default', () => {
    expect(localeChain('de-at')).toEqual(['de-AT', 'de', '']);
    expect(localeChain('fr')).toEqual(['fr', '']);
  });

  it('falls back to the account default for no or a malformed locale', () => {
    expect(localeChain(null)).toEqual(['']);
    expect(localeChain('not a locale')).toEqual(['']);
  });
});
