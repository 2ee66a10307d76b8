import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createUser, signUp, type SignedUp, STRONG_PASSWORD } from './helpers/factories.js';

// Argon2id and zxcvbn are slow on a busy machine; these suites boot a real app and database.
jest.setTimeout(30_000);

/**
 * Races on one user's reset tokens. Meaningful on PostgreSQL (TEST_DATABASE_URL) at READ COMMITTED,
 * where the requests really overlap; embedded PGlite runs transactions one at a time.
 */
describe('reset token concurrency', () => {
  let t: TestApp;
  let a: SignedUp;

  beforeAll(async () => {
    // More connections than concurrent requests, so every transaction runs at once on PostgreSQL.
    t = await createTestApp({ OUTBOX_WORKER: 'off', DB_POOL_SIZE: '30' });
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const issue = (userId: string) =>
    api(t).post(`/v3/users/${userId}/reset-password-token`).set(bearer(a.accessToken)).send({});
  const canLogin = async (email: string, password: string) =>
    (await api(t).post('/v3/accounts/login').send({ accountAlias: a.account.alias, email, password })).status === 200;

  it('of 20 concurrent consumptions of one token exactly one succeeds, and its password is the one set', async () => {
    const user = await createUser(t, a.accessToken);
    const token = (await issue(user.id)).body.resetPasswordToken as string;
    const passwords = Array.from({ length: 20 }, (_, i) => `amber comet teacup harbor ${9100 + i}`);
    const results = await Promise.all(
      passwords.map((newPassword) => api(t).post(`/v3/users/${user.id}/reset-password`).send({ token, newPassword })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 400)) expect(r.body.code).toBe('RESET_TOKEN_INVALID');
    const winner = passwords[statuses.indexOf(204)];
    expect(await canLogin(user.email, winner)).toBe(true);
    expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(false);
    const loser = passwords[statuses.indexOf(400)];
    expect(await canLogin(user.email, loser)).toBe(false);
    const events = await api(t)
      .get(`/v3/event-logs?action=user.passwordReset&userId=${user.id}`)
      .set(bearer(a.accessToken));
    expect(events.body).toHaveLength(1);
  }, 120_000);

  it('of 10 concurrent issuances exactly one token is left alive', async () => {
    const user = await createUser(t, a.accessToken);
    const results = await Promise.all(Array.from({ length: 10 }, () => issue(user.id)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const live = await t.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM reset_tokens WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [
        user.id,
      ]);
    expect(Number(live[0].n)).toBe(1);
    const listed = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
    expect(listed.body).toHaveLength(1);
    const outcomes: number[] = [];
    for (const r of results) {
      const res = await api(t)
        .post(`/v3/users/${user.id}/reset-password`)
        .send({ token: r.body.resetPasswordToken, newPassword: 'amber comet teacup harbor 9153' });
      outcomes.push(res.status);
    }
    expect(outcomes.filter((s) => s === 204)).toHaveLength(1);
  }, 120_000);
});
