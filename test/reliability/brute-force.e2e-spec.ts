import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { generateToken } from '../../src/auth/token-format.js';
import { DEFAULT_RATE_LIMITS } from '../../src/config/app-config.js';
import { api, createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createUser, signUp, type SignedUp, STRONG_PASSWORD } from '../helpers/factories.js';
import { closeWithoutLeaks, guardSecrets, type SecretLedger } from '../helpers/secrets.js';

const NEW_PASSWORD = 'copper walrus umbrella 4417 meadow';

/** A fresh documentation-range address per call, so tests never share a limiter key. */
let lastOctet = 0;
const nextIp = () => `198.51.100.${++lastOctet}`;

function expectRateLimited(res: Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    message: expect.any(String),
    code: 'RATE_LIMITED',
  });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(900);
}

/**
 * Brute force with the default limits on (S6): guessing reset tokens and passwords from one
 * address runs into 429 with Retry-After, never succeeds, and does not lock the real user out,
 * who still resets or logs in from another address. TRUST_PROXY is on so that the test can speak
 * from several addresses through X-Forwarded-For.
 */
describe('brute force', () => {
  let t: TestApp;
  let ledger: SecretLedger;
  let a: SignedUp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'on', OUTBOX_WORKER: 'off' });
    ledger = await guardSecrets(t);
    a = await signUp(t);
    ledger.add(STRONG_PASSWORD, NEW_PASSWORD);
  }, 120_000);
  afterAll(() => closeWithoutLeaks(t, ledger));

  const resetFrom = (ip: string, userId: string, token: string) =>
    api(t)
      .post(`/v3/users/${userId}/reset-password`)
      .set('X-Forwarded-For', ip)
      .send({ token, newPassword: NEW_PASSWORD });
  const loginFrom = (ip: string, email: string, password: string) =>
    api(t)
      .post('/v3/accounts/login')
      .set('X-Forwarded-For', ip)
      .send({ accountAlias: a.account.alias, email, password });

  it('300 random well-formed tokens from one address: 429 after the limit, none succeeds, the real user still resets', async () => {
    const user = await createUser(t, a.accessToken);
    const attacker = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await resetFrom(attacker, user.id, generateToken('rst'));
      statuses.push(res.status);
      if (res.status === 429) expectRateLimited(res);
      else expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    }
    const limit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;
    expect(statuses.filter((s) => s === 204)).toEqual([]);
    expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(400));
    expect(statuses.slice(limit)).toEqual(Array(300 - limit).fill(429));

    const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
    const token = issued.body.resetPasswordToken as string;
    // A live token always proceeds, even from the address whose budget is spent.
    expect((await resetFrom(attacker, user.id, token)).status).toBe(204);
    expect((await loginFrom(nextIp(), user.email, NEW_PASSWORD)).status).toBe(200);
  }, 120_000);

  it("ten addresses × ten bad guesses spend the per-user budget, yet the real user's live token still resets", async () => {
    const user = await createUser(t, a.accessToken);
    const perIpLimit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;
    const perUserLimit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET.points;
    const addresses = Array.from({ length: perUserLimit / perIpLimit }, nextIp);
    for (const ip of addresses) {
      for (let i = 0; i < perIpLimit; i++) {
        expect((await resetFrom(ip, user.id, generateToken('rst'))).body.code).toBe('RESET_TOKEN_INVALID');
      }
    }
    // The per-user budget is spent: one more bad guess from a fresh address is refused …
    expectRateLimited(await resetFrom(nextIp(), user.id, generateToken('rst')));
    // … but the user's own link works, from a fresh address and from one of the guessing ones.
    const issue = () => api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
    expect((await resetFrom(nextIp(), user.id, (await issue()).body.resetPasswordToken)).status).toBe(204);
    expect((await resetFrom(addresses[0], user.id, (await issue()).body.resetPasswordToken)).status).toBe(204);
    expect((await loginFrom(nextIp(), user.email, NEW_PASSWORD)).status).toBe(200);
  }, 120_000);

  it.each([
    [
      'an IPv6 /64, in any spelling',
      ['2001:db8:5::1', '2001:DB8:5::1', '2001:db8:5:0:0:0:0:1', '2001:db8:5::2', '2001:db8:5:0:ffff::9'],
    ],
    ['an IPv4 address and its IPv4-mapped IPv6 forms', ['203.0.113.77', '::ffff:203.0.113.77', '::FFFF:cb00:714d']],
  ])('the addresses of one client share its budget: %s', async (_, spellings) => {
    const user = await createUser(t, a.accessToken);
    const limit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;
    for (let i = 0; i < limit; i++) {
      const res = await resetFrom(spellings[i % spellings.length], user.id, generateToken('rst'));
      expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    }
    for (const ip of spellings) expectRateLimited(await resetFrom(ip, user.id, generateToken('rst')));
    // Another client still has its own budget for this user.
    expect((await resetFrom(nextIp(), user.id, generateToken('rst'))).body.code).toBe('RESET_TOKEN_INVALID');
  });

  it('one address (a portal backend) resets far more users than the per-IP failure limit', async () => {
    const portal = nextIp();
    const count = DEFAULT_RATE_LIMITS.RESET_FAILURES_IP.points + 50;
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const user = await createUser(t, a.accessToken, { password: undefined });
      const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
      statuses.push((await resetFrom(portal, user.id, issued.body.resetPasswordToken)).status);
    }
    expect(statuses).toEqual(Array(count).fill(204));
  }, 300_000);

  it('the per-IP failure budget counts bad tokens across users: spent, bad tokens are 429 and a live one proceeds', async () => {
    const attacker = nextIp();
    const perIpLimit = DEFAULT_RATE_LIMITS.RESET_FAILURES_IP.points;
    const perTargetIpLimit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;
    const victims = await Promise.all(
      Array.from({ length: perIpLimit / perTargetIpLimit + 1 }, () =>
        createUser(t, a.accessToken, { password: undefined }),
      ),
    );
    for (let i = 0; i < perIpLimit; i++) {
      const victim = victims[Math.floor(i / perTargetIpLimit)];
      expect((await resetFrom(attacker, victim.id, generateToken('rst'))).body.code).toBe('RESET_TOKEN_INVALID');
    }
    const fresh = victims[victims.length - 1];
    expectRateLimited(await resetFrom(attacker, fresh.id, generateToken('rst')));
    expectRateLimited(await resetFrom(attacker, 'not-a-uuid', generateToken('rst')));
    const issued = await api(t).post(`/v3/users/${fresh.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
    expect((await resetFrom(attacker, fresh.id, issued.body.resetPasswordToken)).status).toBe(204);
  }, 120_000);

  it('WEAK_PASSWORD with a live token is not a token failure', async () => {
    const user = await createUser(t, a.accessToken);
    const ip = nextIp();
    const limit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;
    const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
    const token = issued.body.resetPasswordToken as string;
    for (let i = 0; i < limit + 5; i++) {
      const res = await api(t)
        .post(`/v3/users/${user.id}/reset-password`)
        .set('X-Forwarded-For', ip)
        .send({ token, newPassword: 'password' });
      expect(res.body.code).toBe('WEAK_PASSWORD');
    }
    // The whole budget is still there: a full round of bad guesses is judged before any 429.
    for (let i = 0; i < limit; i++) {
      expect((await resetFrom(ip, user.id, generateToken('rst'))).body.code).toBe('RESET_TOKEN_INVALID');
    }
    expectRateLimited(await resetFrom(ip, user.id, generateToken('rst')));
    expect((await resetFrom(ip, user.id, token)).status).toBe(204);
  }, 120_000);

  it('wrong passwords from one address: 429 after the limit, the right one is refused there too, the real user logs in elsewhere', async () => {
    const user = await createUser(t, a.accessToken);
    const attacker = nextIp();
    const limit = DEFAULT_RATE_LIMITS.LOGIN_FAILURES_TARGET_IP.points;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 15; i++) {
      const res = await loginFrom(attacker, user.email, `wrong guess number ${i} of many`);
      statuses.push(res.status);
      if (res.status === 429) expectRateLimited(res);
      else expect(res.body.code).toBe('INVALID_CREDENTIALS');
    }
    expect(statuses).toEqual([...Array(limit).fill(401), ...Array(15).fill(429)]);
    expectRateLimited(await loginFrom(attacker, user.email, STRONG_PASSWORD));
    const real = await loginFrom(nextIp(), user.email, STRONG_PASSWORD);
    expect(real.status).toBe(200);
    expect(real.body.accessToken).toMatch(/^lk_ses_/);
  }, 120_000);

  it('a password past 1,024 UTF-16 code units is a failed login like any wrong one, and counts against the limit', async () => {
    const user = await createUser(t, a.accessToken);
    const attacker = nextIp();
    const limit = DEFAULT_RATE_LIMITS.LOGIN_FAILURES_TARGET_IP.points;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 2; i++) {
      const res = await loginFrom(attacker, user.email, `${STRONG_PASSWORD}${' '.repeat(1024)}${i}`);
      statuses.push(res.status);
      if (res.status === 401) expect(res.body.code).toBe('INVALID_CREDENTIALS');
    }
    expect(statuses).toEqual([...Array(limit).fill(401), 429, 429]);
    expectRateLimited(await loginFrom(attacker, user.email, STRONG_PASSWORD));
  }, 120_000);

  it('concurrent wrong passwords from one address get no more guesses than sequential ones', async () => {
    const user = await createUser(t, a.accessToken);
    const attacker = nextIp();
    const limit = DEFAULT_RATE_LIMITS.LOGIN_FAILURES_TARGET_IP.points;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => loginFrom(attacker, user.email, `parallel guess ${i} of many`)),
    );
    const evaluated = results.filter((r) => r.status === 401).length;
    expect(results.filter((r) => r.status === 200)).toEqual([]);
    expect(evaluated).toBeLessThanOrEqual(limit);
    expect((await loginFrom(nextIp(), user.email, STRONG_PASSWORD)).status).toBe(200);
  }, 120_000);

  it('concurrent random tokens from one address get no more tries than sequential ones', async () => {
    const user = await createUser(t, a.accessToken);
    const attacker = nextIp();
    const limit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;
    const results = await Promise.all(
      Array.from({ length: 40 }, () => resetFrom(attacker, user.id, generateToken('rst'))),
    );
    expect(results.filter((r) => r.status === 204)).toEqual([]);
    const tried = results.filter((r) => r.status === 400).length;
    expect(tried).toBeLessThanOrEqual(limit);
  }, 120_000);
});
