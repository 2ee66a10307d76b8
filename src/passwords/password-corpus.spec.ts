import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { type PasswordContext, PasswordPolicy } from './password-policy.service.js';
import { PasswordStrength } from './password-strength.js';

/**
 * The committed corpus (password-corpus.json) pins what the policy refuses and accepts, so a change to the
 * strength estimator's configuration (made for speed) cannot weaken the policy silently. Every entry held
 * with the estimator as it was before any tuning (zxcvbn-ts 4.2 defaults). Not in the corpus because that
 * estimator accepted them too: a common word followed by a year and `!` padding (`baseball2024!!!`) and the
 * shifted keyboard walk `!QAZ@WSX#EDC$RFV`.
 */
interface Entry {
  password: string;
  why: string;
}
const corpus = JSON.parse(fs.readFileSync(new URL('./password-corpus.json', import.meta.url), 'utf8')) as {
  context: PasswordContext;
  weak: Entry[];
  strong: Entry[];
};

const strength = new PasswordStrength();
const policy = new PasswordPolicy(strength);

// The worker thread builds its dictionary index when it starts: seconds on a busy machine.
beforeAll(() => strength.score('warm-up'), 60_000);
afterAll(() => strength.onApplicationShutdown());

describe('password corpus', () => {
  it.each(corpus.weak.map((e) => [e.why, e.password]))('refuses %s: %s', async (_why, password) => {
    await expect(policy.check(password, corpus.context)).resolves.toMatch(
      /^The password (is too easy|must not contain)/,
    );
  });

  it.each(corpus.strong.map((e) => [e.why, e.password]))(
    'accepts %s: %s',
    async (_why, password) => {
      await expect(policy.check(password, corpus.context)).resolves.toBeNull();
    },
    30_000,
  );
});
