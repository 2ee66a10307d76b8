import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { ARGON2_OPTIONS } from '../src/passwords/password-hasher.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createUser, login, signUp, STRONG_PASSWORD, type SignedUp } from './helpers/factories.js';
import { transactionHeldOpen, untilWaitingOnALock } from './helpers/locks.js';

/**
 * Changes of one user's row that meet a login, a password change or each other. Each route checks something before
 * its transaction (a password against the stored hash, the account's admins) and writes after it: what changed in
 * between must be seen under the row's lock, never answered with a 500 or overwritten. The other side is held open
 * with its row lock taken, so the route meets it every time, not by chance. Needs concurrent transactions:
 * PostgreSQL (TEST_DATABASE_URL); the embedded database runs one at a time.
 */
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const OTHER_PASSWORD = 'harbor violet cactus meadow 5830';
const NEW_PASSWORD = 'amber comet teacup harbor 9153';

describePg('changes of a user row that meet a login, a password change or each other', () => {
  let t: TestApp;
  let ds: DataSource;
  let a: SignedUp;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off', RATE_LIMITS: 'off' });
    ds = t.app.get(DataSource);
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  /** Another request's transaction on the user's row, held open after `statements` until `commit`. */
  const heldOpen = async (userId: string, statements: [string, unknown[]?][]) => {
    const held = await transactionHeldOpen(
      ds,
      statements.map(([sql, params]) => [sql, [userId, ...(params ?? [])]] as const),
    );
    return { commit: () => held.finish() };
  };

  const liveSessionsOf = async (userId: string) =>
    (
      (await ds.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [
        userId,
      ])) as { n: number }[]
    )[0].n;

  /** What a reset does to the row and the sessions, with OTHER_PASSWORD as the new password. */
  const passwordChange = async (): Promise<[string, unknown[]][]> => [
    [
      `UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1`,
      [await hash(OTHER_PASSWORD, ARGON2_OPTIONS)],
    ],
    [`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, []],
  ];

  const loginBody = (email: string) => ({ accountAlias: a.account.alias, email, password: STRONG_PASSWORD });

  it('a login whose user is deleted meanwhile is 401, not a session for a user that is gone', async () => {
    const user = await createUser(t, a.accessToken);
    const deletion = await heldOpen(user.id, [[`DELETE FROM users WHERE id = $1`]]);
    const answer = api(t)
      .post('/v3/accounts/login')
      .send(loginBody(user.email))
      .then((r) => r);
    await untilWaitingOnALock(ds, 'the route');
    await deletion.commit();
    const res = await answer;
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
  });

  it('a login checked against a password that is changed meanwhile is 401, and leaves no session', async () => {
    const user = await createUser(t, a.accessToken);
    const change = await heldOpen(user.id, await passwordChange());
    const answer = api(t)
      .post('/v3/accounts/login')
      .send(loginBody(user.email))
      .then((r) => r);
    await untilWaitingOnALock(ds, 'the route');
    await change.commit();
    const res = await answer;
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(await liveSessionsOf(user.id)).toBe(0);
    await login(t, a.account.alias, user.email, OTHER_PASSWORD);
  });

  it('update-password checked against a password a reset changes meanwhile is refused; the reset’s password stands', async () => {
    const user = await createUser(t, a.accessToken);
    const session = (await login(t, a.account.alias, user.email)).accessToken;
    const reset = await heldOpen(user.id, await passwordChange());
    const answer = api(t)
      .post(`/v3/users/${user.id}/update-password`)
      .set(bearer(session))
      .send({ oldPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })
      .then((r) => r);
    await untilWaitingOnALock(ds, 'the route');
    await reset.commit();
    const res = await answer;
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'WRONG_PASSWORD' });
    await login(t, a.account.alias, user.email, OTHER_PASSWORD);
    const stale = await api(t)
      .post('/v3/accounts/login')
      .send({ ...loginBody(user.email), password: NEW_PASSWORD });
    expect(stale.status).toBe(401);
  });

  it('role changes and deletions of one account at once: each 200, 204 or 409, never a deadlock’s 500', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(t, a.accessToken)));
    const spare = await Promise.all(Array.from({ length: 8 }, () => createUser(t, a.accessToken)));
    const statuses: Record<number, number> = {};
    const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
    const toggles = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; i < 15; i++) {
        const user = users[(c + i) % users.length];
        const res = await api(t)
          .patch(`/v3/users/${user.id}`)
          .set(bearer(a.accessToken))
          .send({ role: Math.random() < 0.5 ? 'admin' : 'user' });
        count(res.status);
      }
    });
    const deletions = spare.map(async (user, i) => {
      await new Promise((r) => setTimeout(r, 40 * i));
      count((await api(t).delete(`/v3/users/${user.id}`).set(bearer(a.accessToken))).status);
    });
    await Promise.all([...toggles, ...deletions]);
    expect(Object.keys(statuses).filter((s) => ![200, 204, 409].includes(Number(s)))).toEqual([]);
    expect(statuses[204]).toBe(spare.length);
  }, 120_000);
});
