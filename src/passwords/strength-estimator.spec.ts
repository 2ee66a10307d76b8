import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ESTIMATOR_OPTIONS, estimatorModules, SCORED_CODE_POINTS } from './password-strength.js';
import { createEstimator } from './strength-estimator.js';

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
  const own = createEstimator(require, estimatorModules(), { ...ESTIMATOR_OPTIONS, indexed: false });
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
