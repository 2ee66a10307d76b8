import { describe, expect, it } from '@jest/globals';
import type { TransformFnParams } from 'class-transformer';
import { LOCALE_TAG, toCanonicalUserLocale } from './locale.js';

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
