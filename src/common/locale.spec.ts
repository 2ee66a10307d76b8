import { describe, expect, it } from '@jest/globals';
import type { TransformFnParams } from 'class-transformer';
import fc from 'fast-check';
import { canonicalLocale, LOCALE_PATTERN, LOCALE_TAG, MAX_LOCALE_LENGTH, toCanonicalUserLocale } from './locale.js';

const transform = (value: unknown) => toCanonicalUserLocale({ value } as TransformFnParams);

describe('toCanonicalUserLocale', () => {
  it.each([
    ['PT-br', 'pt-BR'],
    [' de ', 'de'],
    ['ZH-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
  ])('%j → %s, which the user locale pattern accepts', (input, canonical) => {
    expect(transform(input)).toBe(canonical);
    expect(LOCALE_TAG.test(canonical)).toBe(true);
  });

  it.each([['en-US-x-private'], ['e'], [42], [null]])('leaves %j for the validator to refuse', (input) =>
    expect(transform(input)).toBe(input),
  );
});

describe('LOCALE_PATTERN (published in the OpenAPI document)', () => {
  const letters = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
  const digits = fc.constantFrom(...'0123456789');
  const alnum = fc.oneof(letters, digits);
  const word = (chars: fc.Arbitrary<string>, min: number, max: number) =>
    fc.array(chars, { minLength: min, maxLength: max }).map((cs) => cs.join(''));
  // Tags the pattern matches, built part by part as BCP 47 builds them.
  const tag = fc
    .tuple(
      word(letters, 2, 3),
      fc.option(word(letters, 4, 4)),
      fc.option(fc.oneof(word(letters, 2, 2), word(digits, 3, 3))),
      fc.uniqueArray(
        fc.oneof(
          word(alnum, 5, 8),
          fc.tuple(digits, word(alnum, 3, 3)).map(([d, w]) => d + w),
        ),
        {
          maxLength: 3,
          selector: (v) => v.toLowerCase(),
        },
      ),
    )
    .map(([language, script, region, variants]) =>
      [language, script, region, ...variants].filter((p) => p !== null).join('-'),
    )
    .filter((t) => t.length <= MAX_LOCALE_LENGTH);

  it('matches only tags a template may be saved with: every one has a canonical form', () => {
    fc.assert(
      fc.property(tag, (t) => LOCALE_PATTERN.test(t) && canonicalLocale(t) !== null),
      { numRuns: 5000 },
    );
  });

  it.each(['de-1', 'en-a', 'zh-min-nan', 'sgn-BE-FR', 'ab-cd-ef-gh', 'en-US-x', 'de-'])(
    'does not match %s, which has no canonical form here',
    (t) => {
      expect(LOCALE_PATTERN.test(t)).toBe(false);
      expect(canonicalLocale(t)).toBeNull();
    },
  );
});
