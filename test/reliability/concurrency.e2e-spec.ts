import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { api, createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createUser, signUp, type SignedUp, STRONG_PASSWORD, uniqueAlias } from '../helpers/factories.js';
import { closeWithoutLeaks, guardSecrets, type SecretLedger } from '../helpers/secrets.js';

/** Concurrent requests per race: more than the pool's default of 10 connections would serve at once. */
const N = 12;

const statusesOf = (results: Response[]) => results.map((r) => r.status).sort();

/**
 * Races on unique values. On PostgreSQL (TEST_DATABASE_URL) the requests really overlap at READ
 * COMMITTED and only the unique indexes decide; on embedded PGlite they are serialized, which must
 * give the same answers.
 */
describe(`concurrency on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, () => {
  let t: TestApp;
  let ledger: SecretLedger;
  let a: SignedUp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off', DB_POOL_SIZE: String(N + 5) });
    ledger = await guardSecrets(t);
    ledger.add(STRONG_PASSWORD);
    db = t.app.get(DataSource);
    a = await signUp(t);
  }, 120_000);
  afterAll(() => closeWithoutLeaks(t, ledger));

  it(`${N} sign-ups with one alias at once: one 201, the rest 409 CONFLICT, and no half-made account`, async () => {
    const alias = uniqueAlias('race');
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        api(t)
          .post('/v3/accounts')
          .send({
            name: `Racer ${i}`,
            alias,
            email: `owner${i}@${alias}.test`,
            password: STRONG_PASSWORD,
            firstName: 'Rita',
            lastName: 'Racer',
          }),
      ),
    );
    expect(statusesOf(results)).toEqual([201, ...Array(N - 1).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('CONFLICT');
    const winner = results.find((r) => r.status === 201)!;
    const rows = await db.query(
      `SELECT a.id, (SELECT count(*) FROM users u WHERE u.account_id = a.id) AS users,
              (SELECT count(*) FROM sessions s WHERE s.account_id = a.id) AS sessions
         FROM accounts a WHERE a.alias = $1`,
      [alias],
    );
    expect(
      rows.map((r: Record<string, unknown>) => ({ id: r.id, users: Number(r.users), sessions: Number(r.sessions) })),
    ).toEqual([{ id: winner.body.account.id, users: 1, sessions: 1 }]);
    // The losers' first admins were rolled back with their accounts.
    const admins = await db.query(`SELECT count(*) AS n FROM users WHERE email LIKE $1`, [`owner%@${alias}.test`]);
    expect(Number(admins[0].n)).toBe(1);
  }, 120_000);

  it(`${N} creations of one email (any case, any spaces) at once: one 201, the rest 409 CONFLICT`, async () => {
    const local = `race-${Date.now().toString(36)}`;
    const variants = Array.from({ length: N }, (_, i) =>
      i % 3 === 0
        ? `${local}@example.test`
        : i % 3 === 1
          ? ` ${local.toUpperCase()}@Example.TEST`
          : `${local}@EXAMPLE.test `,
    );
    const results = await Promise.all(
      variants.map((email) =>
        api(t).post('/v3/users').set(bearer(a.accessToken)).send({ email, firstName: 'Rae', lastName: 'Race' }),
      ),
    );
    expect(statusesOf(results)).toEqual([201, ...Array(N - 1).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('CONFLICT');
    const rows = await db.query(`SELECT count(*) AS n FROM users WHERE account_id = $1 AND email_canonical = $2`, [
      a.account.id,
      `${local}@example.test`,
    ]);
    expect(Number(rows[0].n)).toBe(1);
    const events = await api(t)
      .get(`/v3/event-logs?action=user.created&userId=${results.find((r) => r.status === 201)!.body.id}`)
      .set(bearer(a.accessToken));
    expect(events.body).toHaveLength(1);
  }, 120_000);

  it(`${N} users changing their email to one address at once: one 200, the rest 409 CONFLICT`, async () => {
    const users = await Promise.all(Array.from({ length: N }, () => createUser(t, a.accessToken)));
    const target = `taken-${Date.now().toString(36)}@example.test`;
    const results = await Promise.all(
      users.map((u) => api(t).patch(`/v3/users/${u.id}`).set(bearer(a.accessToken)).send({ email: target })),
    );
    expect(statusesOf(results)).toEqual([200, ...Array(N - 1).fill(409)]);
    const rows = await db.query(`SELECT count(*) AS n FROM users WHERE account_id = $1 AND email_canonical = $2`, [
      a.account.id,
      target,
    ]);
    expect(Number(rows[0].n)).toBe(1);
  }, 120_000);

  it('one email in several accounts at once: every account gets its user', async () => {
    const accounts = await Promise.all(Array.from({ length: 4 }, () => signUp(t)));
    const email = `shared-${Date.now().toString(36)}@example.test`;
    const results = await Promise.all(
      accounts.map((acc) =>
        api(t).post('/v3/users').set(bearer(acc.accessToken)).send({ email, firstName: 'Sam', lastName: 'Shared' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  }, 120_000);
});
