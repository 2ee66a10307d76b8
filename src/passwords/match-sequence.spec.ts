import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { matchSequenceSearch, type ScoringModules } from './match-sequence.js';
import { estimatorModules } from './password-strength.js';

const require = createRequire(import.meta.url);
type Result = Record<string, unknown> & { sequence: Record<string, unknown>[]; calcTime: number };
interface Factory {
  options: object;
  scoring: { mostGuessableMatchSequence: unknown };
  matching: { matchers: { repeat: { scoring: { mostGuessableMatchSequence: unknown } } } };
  check(password: string, userInputs: string[]): Result;
}
const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as { ZxcvbnFactory: new (o: object) => Factory };
const common = require('@zxcvbn-ts/language-common') as {
  dictionary: Record<string, string[]>;
  adjacencyGraphs: object;
};
const en = require('@zxcvbn-ts/language-en') as { dictionary: object; translations: object };
const modules = estimatorModules().scoring!;
const scoring: ScoringModules = {
  estimate: require(modules.estimate) as ScoringModules['estimate'],
  dictionary: require(modules.dictionary) as ScoringModules['dictionary'],
  constants: require(modules.constants) as ScoringModules['constants'],
  utils: require(modules.utils) as ScoringModules['utils'],
};

function factory(l33tMaxSubstitutions: number): Factory {
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions,
  });
}

const diceware = common.dictionary['diceware-common'];
const pick = (s: string) => s[randomInt(s.length)];
const GENERATORS: (() => string)[] = [
  () => randomBytes(1 + randomInt(24)).toString('base64url'),
  () => Array.from({ length: 1 + randomInt(5) }, () => diceware[randomInt(diceware.length)]).join(pick(' -_.')),
  () => Array.from({ length: 4 + randomInt(28) }, () => pick('@4$5!1|0339+7(aeiost')).join(''),
  () => 'abc'.repeat(1 + randomInt(6)) + String(1900 + randomInt(150)),
  () => `${pick('Pp')}assw${pick('o0')}rd${randomInt(10000)}${pick('!?#')}`,
  () => `${randomInt(32)}/${randomInt(13)}/${randomInt(100)}qwerty${'z'.repeat(randomInt(8))}`,
  () => 'olive.owner' + randomBytes(randomInt(8)).toString('hex') + 'Acme',
  () => Array.from({ length: randomInt(33) }, () => String.fromCodePoint(0x20 + randomInt(0x2ff))).join(''),
  () => '\u{1f511}'.repeat(randomInt(4)) + 'zxcvbnm' + '9876543210'.slice(randomInt(10)),
  // Keyboard walks (qwerty, shifted, dvorak, keypad), with turns and shifted keys.
  () =>
    Array.from({ length: 1 + randomInt(3) }, () => {
      const rows = [
        'qwertyuiop',
        'asdfghjkl',
        'zxcvbnm',
        '1234567890',
        'QWERTY',
        '!@#$%^&*()',
        'aoeuidhtns',
        '7894561230',
      ];
      const row = rows[randomInt(rows.length)];
      const from = randomInt(row.length - 2);
      const walk = row.slice(from, from + 3 + randomInt(row.length - from - 2));
      return randomInt(2) ? walk : walk.replace(/[a-z]/, (c) => c.toUpperCase());
    }).join(''),
];

describe('the match sequence search', () => {
  const own = factory(2);
  const fast = factory(2);
  for (const search of [fast.scoring, fast.matching.matchers.repeat.scoring]) {
    search.mostGuessableMatchSequence = matchSequenceSearch(fast.options, scoring);
  }
  const userInputs = ['olive.owner', 'olive', 'oakhampton', 'acme', 'widgets'];
  const strip = ({ calcTime: _, ...rest }: Result) => rest;

  it("finds zxcvbn-ts's own sequence, guesses and feedback for every kind of match", () => {
    const inputs = [
      '',
      'a',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'abcabcabcabcabc',
      'correcthorsebatterystaple',
      '11/04/1987',
      'Tr0ub4dor&3',
      ...GENERATORS.flatMap((make) => Array.from({ length: 150 }, make)),
    ].map((p) => Array.from(p).slice(0, 32).join(''));
    for (const password of inputs) {
      expect({ password, ...strip(fast.check(password, userInputs)) }).toEqual({
        password,
        ...strip(own.check(password, userInputs)),
      });
    }
  }, 120_000);

  it("returns zxcvbn-ts's search result for the same matches, with and without the additive term", () => {
    const search = matchSequenceSearch(own.options, scoring);
    const original = own.scoring.mostGuessableMatchSequence as (p: string, m: object[], x?: boolean) => unknown;
    const match = (fast as unknown as { matching: { match(p: string): Parameters<typeof search>[1] } }).matching;
    for (const password of Array.from({ length: 200 }, () => GENERATORS[randomInt(GENERATORS.length)]())) {
      for (const excludeAdditive of [false, true]) {
        expect(search(password, match.match(password), excludeAdditive)).toEqual(
          original.call(own.scoring, password, match.match(password), excludeAdditive),
        );
      }
    }
  }, 60_000);
});
