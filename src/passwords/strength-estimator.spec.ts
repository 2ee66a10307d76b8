import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ESTIMATOR_OPTIONS, estimatorModules, SCORED_CODE_POINTS } from './password-strength.js';
import { createEstimator, createZxcvbn, warmUp, WordIndex, type ZxcvbnResult } from './strength-estimator.js';

const require = createRequire(import.meta.url);
const corpus = JSON.parse(fs.readFileSync(new URL('./password-corpus.json', import.meta.url), 'utf8')) as {
  weak: { password: string }[];
  strong: { password: string }[];
};
const diceware = (require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> }).dictionary[
  'diceware-common'
];

describe('the indexed dictionary lookup', () => {
  const indexed = createEstimator(require, estimatorModules(), ESTIMATOR_OPTIONS);
  const own = createEstimator(require, estimatorModules(), { ...ESTIMATOR_OPTIONS, fast: false });
  const userInputs = ['olive.owner', 'olive', 'oakhampton', 'acme', 'widgets'];
  const phrase = () =>
    Array.from({ length: 5 }, () => diceware[randomInt(diceware.length)]).join(randomInt(2) ? ' ' : '');
  const inputs = [
    ...corpus.weak.map((e) => e.password),
    ...corpus.strong.map((e) => e.password),
    ...Array.from({ length: 40 }, () => randomBytes(24).toString('base64url')),
    ...Array.from({ length: 40 }, phrase),
    ...Array.from({ length: 20 }, () => Array.from({ length: 32 }, () => '@4$5!1|0339+7(a'[randomInt(15)]).join('')),
    'OliveOakhampton!widgets-acme',
    'ecnalabecnalab',
  ].map((p) => Array.from(p).slice(0, SCORED_CODE_POINTS).join(''));

  it("gives zxcvbn-ts's own score, guesses and feedback", () => {
    for (const password of inputs) {
      expect({ password, ...indexed(password, userInputs) }).toEqual({ password, ...own(password, userInputs) });
    }
  }, 120_000); // zxcvbn-ts's own lookup takes up to tens of milliseconds per input
});

describe("the estimator's faster paths", () => {
  const fast = createZxcvbn(require, estimatorModules(), ESTIMATOR_OPTIONS);
  const own = createZxcvbn(require, estimatorModules(), { ...ESTIMATOR_OPTIONS, fast: false });
  const pick = <T>(s: string | T[]) => s[randomInt(s.length)];
  const l33t = '@4$5!1|0339+7(aeiostlgbz';
  const generators: (() => string)[] = [
    () => Array.from({ length: 2 + randomInt(31) }, () => pick(l33t)).join(''),
    () => `p${pick('@4a')}${pick('$5s')}${pick('$5s')}w${pick('0o')}rd${pick('!1i|')}${randomInt(100)}`,
    () => `${pick(['|_|', '/\\\\', '(', '><', '|\\|'])}${randomBytes(6).toString('base64url')}${pick(l33t)}3`,
    () =>
      Array.from({ length: 3 }, () =>
        diceware[randomInt(diceware.length)].replace(/[aeio]/g, (c) => pick(c + '4310')),
      ).join(''),
    () => randomBytes(24).toString('base64url'),
    () => 'Ol1ve.0wner' + pick(l33t) + 'Wi|)gets',
  ];
  const userInputs = ['olive.owner', 'olive', 'oakhampton', 'acme', 'widgets'];
  const strip = ({ calcTime: _, ...rest }: ZxcvbnResult) => rest;

  it("give zxcvbn-ts's own result, match for match, on l33t spellings and random strings", () => {
    for (let n = 0; n < 600; n++) {
      const password = Array.from(generators[n % generators.length]())
        .slice(0, SCORED_CODE_POINTS)
        .join('');
      expect({ password, ...strip(fast(password, userInputs)) }).toEqual({
        password,
        ...strip(own(password, userInputs)),
      });
    }
  }, 120_000);

  it('give its result when lower-casing lengthens a user input (İ), which zxcvbn-ts then finds only as the whole password', () => {
    // zxcvbn-ts skips words longer than their dictionary's longest entry as given, except the whole password: 'İ'
    // lower-cases to two code units, so 'i̇stanbul.user' is one unit longer than 'İstanbul.user'.
    const inputs = ['İstanbul.user', 'Σίσυφος', 'ǅemal', 'İİ'];
    const passwords = [
      'İstanbul.user123!',
      'İstanbul.user',
      'xİstanbul.user',
      '1stanbul.user!!',
      'İİİİİİİİİİİİİİİİ',
      'İİ',
      'ǅemal-ǅemal-ǅemal',
      'ΣΊΣΥΦΟΣ2024!',
      '!İstanbul.us3r',
    ];
    for (const password of passwords) {
      for (const given of [inputs, ['İstanbul.user'], []]) {
        expect({ password, given, ...strip(fast(password, given)) }).toEqual({
          password,
          given,
          ...strip(own(password, given)),
        });
      }
    }
  });
});

describe('the warm-up', () => {
  it('checks as many made-up passwords as asked, the same ones at every start, of every shape', () => {
    const first: string[] = [];
    const second: string[] = [];
    warmUp((p) => first.push(p), 200);
    warmUp((p) => second.push(p), 200);
    expect(first).toHaveLength(200);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(150);
    expect(first.some((p) => /^[\w-]{8,}$/.test(p))).toBe(true);
    expect(first.some((p) => / /.test(p))).toBe(true);
    expect(first.some((p) => /^[@4$5!1|039+7(]+$/.test(p))).toBe(true);
    expect(first.some((p) => /\d+\/\d+\/19/.test(p))).toBe(true);
  });
});

/** What the matcher's scan finds after reading `text`: its entries if it is a word, and whether any word starts with it. */
function find(index: WordIndex, text: string) {
  let lo = 0;
  let hi = index.size;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    lo = index.lowerBound(lo, hi, k, c);
    hi = index.lowerBound(lo, hi, k, c + 1);
  }
  const entries: [string, number][] = [];
  if (lo < hi && index.wordLength(lo) === text.length)
    index.entries(lo, 0, 0, (_i, _j, name, rank) => entries.push([name, rank]));
  return { entries, prefix: lo < hi };
}

describe('the word index', () => {
  const ranked = {
    first: { app: 1, apple: 2, a: 3, ñandú: 4, '\ufb01x': 5, zzz: 6 },
    second: { banana: 1, app: 2 },
    third: { '\ufb01x': 9 },
  };
  const index = WordIndex.build(ranked, ['first', 'second', 'third']);

  it('finds the first and the last word, and words beyond ASCII', () => {
    expect(index.size).toBe(7);
    expect(find(index, 'a')).toEqual({ entries: [['first', 3]], prefix: true });
    expect(find(index, '\ufb01x')).toEqual({
      entries: [
        ['first', 5],
        ['third', 9],
      ],
      prefix: true,
    });
    expect(find(index, 'zzz')).toEqual({ entries: [['first', 6]], prefix: true });
    expect(find(index, 'ñandú')).toEqual({ entries: [['first', 4]], prefix: true });
    expect(find(index, 'ñand')).toEqual({ entries: [], prefix: true });
  });

  it("gives a word's entries in the dictionaries' order, and tells a prefix from a word", () => {
    expect(find(index, 'app')).toEqual({
      entries: [
        ['first', 1],
        ['second', 2],
      ],
      prefix: true,
    });
    expect(find(index, 'ap')).toEqual({ entries: [], prefix: true });
    expect(find(index, 'appl')).toEqual({ entries: [], prefix: true });
    expect(find(index, 'apples')).toEqual({ entries: [], prefix: false });
    expect(find(index, 'b')).toEqual({ entries: [], prefix: true });
    expect(find(index, 'c')).toEqual({ entries: [], prefix: false });
    expect(find(index, '\uffff')).toEqual({ entries: [], prefix: false });
    expect(find(index, 'zzzz')).toEqual({ entries: [], prefix: false });
  });

  it('reads the ranges of ASCII prefixes from its table as a search finds them, and no others', () => {
    const alphabet = ['a', 'b', 'Z', '~', '\u007f', '\u0000', 'é', '\u{1f511}'];
    const word = () => Array.from({ length: 1 + randomInt(4) }, () => alphabet[randomInt(alphabet.length)]).join('');
    const words = Object.fromEntries(Array.from({ length: 300 }, (_, r) => [word(), r + 1]));
    const tabled = WordIndex.build({ words }, ['words']).withPrefixTable();
    const codes = [0, 1, 97, 98, 90, 126, 127, 128, 233, 0xd83d];
    for (const c0 of codes) {
      for (const c of codes) {
        for (const k of [0, 1, 2]) {
          const first = k === 0 ? c : c0;
          let lo = 0;
          let hi = tabled.size;
          if (k > 0) {
            lo = tabled.lowerBound(lo, hi, 0, first);
            hi = tabled.lowerBound(lo, hi, 0, first + 1);
          }
          if (k > 1) {
            lo = tabled.lowerBound(lo, hi, 1, c);
            hi = tabled.lowerBound(lo, hi, 1, c + 1);
          }
          const searchedLo = tabled.lowerBound(lo, hi, k, c);
          const searchedHi = tabled.lowerBound(searchedLo, hi, k, c + 1);
          const fromTable = tabled.prefixLo(k, first, c);
          if (k > 1 || c > 127 || first > 127) expect(fromTable).toBe(-1);
          else expect([fromTable, tabled.prefixHi(k, first, c)]).toEqual([searchedLo, searchedHi]);
        }
      }
    }
    expect(WordIndex.build({ words }, ['words']).prefixLo(0, 97, 97)).toBe(-1);
  });

  it('finds nothing in no dictionary', () => {
    const empty = WordIndex.build({ none: {} }, ['none']);
    expect(empty.size).toBe(0);
    expect(find(empty, 'a')).toEqual({ entries: [], prefix: false });
  });

  it('agrees with a plain lookup on random dictionaries', () => {
    const alphabet = ['a', 'b', 'ab', 'é', '\u{1f511}'];
    const text = (max: number) => Array.from({ length: 1 + randomInt(max) }, () => alphabet[randomInt(5)]).join('');
    const names = ['d0', 'd1', 'd2'];
    const dictionaries: Record<string, Record<string, number>> = Object.fromEntries(
      names.map((name) => [name, Object.fromEntries(Array.from({ length: 60 }, (_, r) => [text(4), r + 1]))]),
    );
    const random = WordIndex.build(dictionaries, names);
    for (let n = 0; n < 2000; n++) {
      const probe = text(5);
      const entries = names.flatMap((name) =>
        probe in dictionaries[name] ? [[name, dictionaries[name][probe]] as [string, number]] : [],
      );
      const prefix = names.some((name) => Object.keys(dictionaries[name]).some((w) => w.startsWith(probe)));
      expect({ probe, ...find(random, probe) }).toEqual({ probe, entries, prefix });
    }
  });
});
