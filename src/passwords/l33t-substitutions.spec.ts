import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { isL33tTrie, type L33tTrieNode, substitutedPasswords } from './l33t-substitutions.js';

const require = createRequire(import.meta.url);
const getCleanPasswords =
  require('@zxcvbn-ts/core/dist/matcher/dictionary/variants/matching/unmunger/getCleanPasswords.cjs') as (
    password: string,
    limit: number,
    root: L33tTrieNode,
  ) => unknown;
const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as {
  ZxcvbnFactory: new (o: object) => { options: { trieNodeRoot: unknown } };
};
const common = require('@zxcvbn-ts/language-common') as { dictionary: object; adjacencyGraphs: object };
const root = new ZxcvbnFactory({ dictionary: common.dictionary }).options.trieNodeRoot;

describe("the l33t substitutions (zxcvbn-ts's getCleanPasswords)", () => {
  it("reads zxcvbn-ts's l33t table as a trie", () => {
    expect(isL33tTrie(root)).toBe(true);
    expect(isL33tTrie(null)).toBe(false);
    expect(isL33tTrie({ parents: [], children: {} })).toBe(false);
  });

  it("gives zxcvbn-ts's readings, in its order, for every limit", () => {
    if (!isL33tTrie(root)) throw new Error('not a trie');
    // The l33t table's characters, its multi-character substitutions, letters and a repeated substitution.
    const pieces = [
      '4',
      '@',
      '8',
      '(',
      '{',
      '[',
      '<',
      '3',
      '9',
      '6',
      '&',
      '#',
      '!',
      '1',
      '|',
      '0',
      '$',
      '5',
      '7',
      '+',
      '%',
      '2',
      '|_|',
      '/\\',
      '|)',
      '|\\|',
      '><',
      '\\/\\/',
      'a',
      'b',
      'x',
      'é',
      '\u{1f511}',
      '1111',
    ];
    const inputs = [
      '',
      '4',
      '!!!!!!',
      'p4$$w0rd',
      '|_||_||_||_|',
      ...Array.from({ length: 400 }, () =>
        Array.from({ length: randomInt(20) }, () => pieces[randomInt(pieces.length)]).join(''),
      ),
      ...Array.from({ length: 50 }, () => randomBytes(18).toString('base64url')),
    ];
    for (const password of inputs) {
      for (const limit of [0, 1, 2, 3, 7, 100]) {
        expect({ password, limit, readings: substitutedPasswords(password, limit, root) }).toEqual({
          password,
          limit,
          readings: getCleanPasswords(password, limit, root),
        });
      }
    }
  }, 60_000);
});
