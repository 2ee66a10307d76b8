import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ApiError } from '../common/api-error.js';
import { PasswordHasher } from './password-hasher.js';
import {
  MAX_PASSWORD_INPUT_LENGTH,
  MAX_PASSWORD_LENGTH,
  type PasswordContext,
  PasswordPolicy,
} from './password-policy.service.js';
import { PasswordStrength } from './password-strength.js';

const strength = new PasswordStrength();
const policy = new PasswordPolicy(strength);
const STRONG = 'velvet quasar lantern mosaic 7241';
const ctx: PasswordContext = {
  minLength: 15,
  email: 'olive.owner@example.test',
  firstName: 'Olive',
  lastName: 'Oakhampton',
  accountName: 'Acme Widgets',
};

/** A random-looking string of `n` code points that zxcvbn scores as strong. */
const strongOfLength = (n: number) => (STRONG + 'q'.repeat(n)).slice(0, n);

// The worker thread builds its dictionary index when it starts: seconds on a busy machine.
beforeAll(() => strength.score('warm-up'), 60_000);
afterAll(() => strength.onApplicationShutdown());

describe('PasswordPolicy', () => {
  it('accepts a strong passphrase and returns its NFC form', async () => {
    await expect(policy.check(STRONG, ctx)).resolves.toBeNull();
    await expect(policy.assertAcceptable(`cafe\u0301 ${STRONG}`, ctx)).resolves.toBe(`caf\u00e9 ${STRONG}`);
  });

  it('rejects a password shorter than the minimum with the reason', async () => {
    await expect(policy.check('tQ7#vk2!mZ', ctx)).resolves.toBe('The password must be at least 15 characters long.');
    await expect(policy.check('tQ7#vk2!mZ', { ...ctx, minLength: 8 })).resolves.toBeNull();
  });

  it('allows exactly 256 code points and rejects 257, never truncating', async () => {
    await expect(policy.check(strongOfLength(MAX_PASSWORD_LENGTH), ctx)).resolves.toBeNull();
    await expect(policy.check(strongOfLength(MAX_PASSWORD_LENGTH + 1), ctx)).resolves.toBe(
      'The password must be at most 256 characters long.',
    );
  });

  it('refuses more than 1,024 UTF-16 code units, and a lone surrogate, before normalising or scoring', async () => {
    const normalize = jest.spyOn(String.prototype, 'normalize');
    const score = jest.spyOn(strength, 'score');
    try {
      // 1,024 code units of reordering combining marks: NFC would make them 513 code points.
      const marks = `a${'\u0345\u0316'.repeat(MAX_PASSWORD_INPUT_LENGTH / 2)}`;
      await expect(policy.check(marks, ctx)).resolves.toBe('The password must be at most 256 characters long.');
      for (const bad of [`${STRONG}\ud800`, `\udc00${STRONG}`, `${STRONG}\udbff\udbff`]) {
        await expect(policy.check(bad, ctx)).resolves.toMatch(/lone surrogate/);
      }
      expect(normalize).not.toHaveBeenCalled();
      expect(score).not.toHaveBeenCalled();
      // A paired surrogate is a character like any other.
      await expect(policy.check(`${STRONG} \u{1F511}`, ctx)).resolves.toBeNull();
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('the hasher calls a password past the bound, or with a lone surrogate, wrong without hashing it', async () => {
    const hasher = new PasswordHasher();
    await hasher.onModuleInit();
    const stored = await hasher.hash(STRONG);
    const normalize = jest.spyOn(String.prototype, 'normalize');
    try {
      await expect(hasher.verify(stored, `${STRONG}${' '.repeat(MAX_PASSWORD_INPUT_LENGTH)}`)).resolves.toBe(false);
      await expect(hasher.verify(stored, `${STRONG}\ud800`)).resolves.toBe(false);
      expect(normalize).not.toHaveBeenCalled();
      await expect(hasher.verify(stored, STRONG)).resolves.toBe(true);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('counts code points after NFC normalisation', async () => {
    // 'e' + combining acute is one code point (é) after NFC; an astral emoji is one code point too.
    const decomposed = 'vq9x lantern e\u0301'; // 15 UTF-16 units, 14 code points after NFC
    expect(decomposed.length).toBe(15);
    await expect(policy.check(decomposed, ctx)).resolves.toMatch(/at least 15 characters/);
    const astral = `${STRONG.slice(0, 14)}\u{1F511}`; // 16 UTF-16 units, 15 code points
    await expect(policy.check(astral, { ...ctx, minLength: 16 })).resolves.toMatch(/at least 16 characters/);
    const atMax = `${strongOfLength(MAX_PASSWORD_LENGTH - 1)}e\u0301`;
    await expect(policy.check(atMax, ctx)).resolves.toBeNull();
  });

  it("rejects the user's own words, ignoring case", async () => {
    await expect(policy.check(`OLIVE.OWNER ${STRONG}`, ctx)).resolves.toBe(
      'The password must not contain your email address.',
    );
    await expect(policy.check(`${STRONG} oLiVe`, ctx)).resolves.toBe('The password must not contain your first name.');
    await expect(policy.check(`oakhampton ${STRONG}`, ctx)).resolves.toBe(
      'The password must not contain your last name.',
    );
    await expect(policy.check(`${STRONG} widgets`, ctx)).resolves.toBe(
      'The password must not contain the account name.',
    );
  });

  it('ignores context words shorter than four characters', async () => {
    const short = { ...ctx, email: 'bo@example.test', firstName: 'Al', lastName: 'Ng', accountName: 'X Co' };
    await expect(policy.check(`bo al ng co ${STRONG}`, short)).resolves.toBeNull();
  });

  it('rejects a common password with zxcvbn and says why', async () => {
    const reason = await policy.check('passwordpassword123', ctx);
    expect(reason).toMatch(/^The password is too easy to guess\./);
    await expect(policy.assertAcceptable('passwordpassword123', ctx)).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
      message: reason,
    });
    await expect(policy.check('aaaaaaaaaaaaaaaaaaaa', ctx)).resolves.toMatch(/too easy to guess/);
  });

  it('scores only the first 32 code points, so a weak head is not rescued by its tail', async () => {
    const weak = `${'password'.repeat(4)}${STRONG}`;
    await expect(policy.check(weak, ctx)).resolves.toMatch(/too easy to guess/);
  });

  it('throws WEAK_PASSWORD for a non-string', async () => {
    const err = await policy.assertAcceptable(12345, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('WEAK_PASSWORD');
  });
});
