import { describe, expect, it } from '@jest/globals';
import {
  canonicalAlias,
  canonicalEmail,
  emailProblem,
  IdentifierError,
  MAX_EMAIL_LENGTH,
  NAME_PATTERN,
  nameProblem,
  NO_CONTROL_PATTERN,
  NO_NUL_PATTERN,
  PATTERN_CLASSES,
  storedEmail,
  TRIMMED_TEXT_PATTERN,
  trimmedName,
} from './identifiers.js';

describe('canonicalEmail', () => {
  it.each([
    ['ada@example.test', 'ada@example.test'],
    ['  Ada@Example.TEST  ', 'ada@example.test'],
    ['ada@bücher.example', 'ada@xn--bcher-kva.example'],
    ['ada@BÜCHER.example', 'ada@xn--bcher-kva.example'],
    ['ada@xn--bcher-kva.example', 'ada@xn--bcher-kva.example'],
    ['ADA@XN--BCHER-KVA.EXAMPLE', 'ada@xn--bcher-kva.example'],
    // NFC first: a decomposed é and a composed one are one address.
    ['jose\u0301@example.test', 'jos\u00e9@example.test'],
    ['JOS\u00c9@example.test', 'jos\u00e9@example.test'],
    // JavaScript's lower-case of İ (U+0130) is i + U+0307: not plain i.
    ['İris@x.test', 'i\u0307ris@x.test'],
    // The domain is what follows the last @ (a quoted local part may hold one).
    ['"a@b"@Example.test', '"a@b"@example.test'],
    ['ß@straße.de', 'ß@xn--strae-oqa.de'],
  ])('%j → %j', (raw, canonical) => {
    expect(canonicalEmail(raw)).toBe(canonical);
  });

  it('tells İris and iris apart, and is idempotent', () => {
    expect(canonicalEmail('İris@x.test')).not.toBe(canonicalEmail('iris@x.test'));
    for (const raw of ['İris@x.test', ' Ada@BÜCHER.example', 'jose\u0301@example.test'])
      expect(canonicalEmail(canonicalEmail(raw))).toBe(canonicalEmail(raw));
  });

  it.each([
    ['CR', 'ada\r@example.test'],
    ['LF at the end', 'ada@example.test\n'],
    ['a tab', '\tada@example.test'],
    ['NUL', 'ada\u0000@example.test'],
    ['DEL', 'ada\u007f@example.test'],
    ['a C1 control', 'ada\u0085@example.test'],
    ['a zero-width space', 'ad\u200ba@example.test'],
    ['a zero-width joiner', 'ad\u200da@example.test'],
    ['a right-to-left override', 'ada\u202e@example.test'],
    ['a left-to-right isolate', 'ada@\u2066example.test'],
    ['a BOM', '\ufeffada@example.test'],
    ['a soft hyphen', 'ad\u00ada@example.test'],
  ])('refuses %s anywhere', (_, raw) => {
    expect(() => canonicalEmail(raw)).toThrow(IdentifierError);
    expect(emailProblem(raw)).toMatch(/control or format/);
  });

  it.each([
    ['no @', 'Ada.Example.test', 'ada.example.test'],
    ['no local part', '@Example.test', '@example.test'],
    ['no domain', 'Ada@', 'ada@'],
    ['nothing at all', '', ''],
    ['only spaces', '   ', ''],
  ])('keeps text with %s as lower-cased text: no stored address has that form, so it finds no one', (_, raw, form) => {
    expect(canonicalEmail(raw)).toBe(form);
  });

  it.each([
    ['a tab (a control character)', ' \t '],
    ['a domain UTS #46 refuses', 'ada@a%b.example'],
    ['a space in the domain', 'ada@exa mple.test'],
  ])('refuses %s', (_, raw) => {
    expect(() => canonicalEmail(raw)).toThrow(IdentifierError);
  });

  it('counts 254 in code points: 254 emoji-wide characters pass, 255 do not', () => {
    expect(emailProblem(`${'\u{1F600}'.repeat(250)}@x.c`)).toBeNull();
    expect(emailProblem(`${'\u{1F600}'.repeat(251)}@x.c`)).toMatch(/at most 254/);
  });

  it('refuses more than 254 characters before looking at them', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(MAX_EMAIL_LENGTH)}.test`;
    expect(emailProblem(long)).toMatch(/at most 254/);
    // Costly to normalise if it were looked at: refused at once instead.
    const marks = `${'\u0301\u0316'.repeat(50_000)}@x.test`;
    const started = performance.now();
    expect(emailProblem(marks)).toMatch(/at most 254/);
    expect(performance.now() - started).toBeLessThan(50);
    expect(emailProblem(42)).toMatch(/string/);
  });
});

describe('storedEmail', () => {
  it('trims ASCII spaces only and normalises to NFC, keeping case', () => {
    expect(storedEmail('  Jose\u0301@Bücher.example ')).toBe('Jos\u00e9@Bücher.example');
    // A no-break space is not ASCII whitespace: it stays, and the address fails elsewhere.
    expect(storedEmail('\u00a0ada@example.test')).toBe('\u00a0ada@example.test');
  });
});

describe('canonicalAlias', () => {
  it('trims and lower-cases what was typed', () => {
    expect(canonicalAlias('acme ')).toBe('acme');
    expect(canonicalAlias(' ACME-Widgets')).toBe('acme-widgets');
  });
});

describe('nameProblem', () => {
  it('accepts 1 to 100 characters without control or format characters', () => {
    expect(nameProblem('firstName', 'Ada')).toBeNull();
    expect(nameProblem('firstName', 'x'.repeat(100))).toBeNull();
    expect(nameProblem('company', '', 0)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(101)],
    ['a line break', 'Acme\r\nBcc: x@evil.test'],
    ['a bidi override', 'Acme\u202e'],
    ['a zero-width space', 'Ac\u200bme'],
    ['not a string', 42],
  ])('refuses %s', (_, value) => {
    expect(nameProblem('name', value)).toMatch(/^name /);
  });
});

describe('the patterns the OpenAPI document publishes', () => {
  const bmp = Array.from({ length: 0x10000 }, (_, c) => c)
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .map((c) => String.fromCharCode(c));

  it('name the Cc and Cf characters of the BMP exactly, and exactly what trim() removes', () => {
    const controlOrFormat = new RegExp(`[${PATTERN_CLASSES.controlOrFormat}]`);
    const trimmed = new RegExp(`[${PATTERN_CLASSES.trimmed}]`);
    expect(bmp.filter((ch) => controlOrFormat.test(ch) !== /[\p{Cc}\p{Cf}]/u.test(ch))).toEqual([]);
    expect(bmp.filter((ch) => trimmed.test(ch) !== (ch.trim() === ''))).toEqual([]);
  });

  it.each([
    ['Ada', true, true],
    ['  Ada Lovelace ', true, true],
    ['   ', false, true],
    ['\u3000\u00a0', false, true],
    ['Ad\u200ba', false, false],
    ['Acme\r\nBcc', false, false],
    ['', false, true],
  ])('%j: a name %s, an optional name %s, as the service judges them', (text, name, optional) => {
    expect(new RegExp(NAME_PATTERN).test(text)).toBe(name);
    expect(nameProblem('name', trimmedName(text)) === null).toBe(name);
    expect(new RegExp(NO_CONTROL_PATTERN).test(text)).toBe(optional);
    expect(nameProblem('company', trimmedName(text), 0) === null).toBe(optional);
  });

  it('trimmed text needs more than spaces, and no NUL', () => {
    expect(new RegExp(TRIMMED_TEXT_PATTERN).test(' CI deploys\t')).toBe(true);
    expect(new RegExp(TRIMMED_TEXT_PATTERN).test(' \t\u3000')).toBe(false);
    expect(new RegExp(TRIMMED_TEXT_PATTERN).test('a\u0000b')).toBe(false);
    expect(new RegExp(NO_NUL_PATTERN).test('a\u0000')).toBe(false);
    expect(new RegExp(NO_NUL_PATTERN).test('')).toBe(true);
  });
});
