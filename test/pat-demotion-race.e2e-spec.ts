import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, login, signUp, type SignedUp } from './helpers/factories.js';
import { transactionHeldOpen, untilWaitingOnALock } from './helpers/locks.js';

/**
 * A personal access token created while its creator is being demoted (an outside review's findings): the token must
 * not be made live behind the demotion's back, to come back with a later promotion, and a child token made by the
 * creator's PAT must not deadlock the demotion. The demotion is held open at the point where it has locked the
 * creator's row (what `PATCH /v3/users/{id}` does first), so the creation meets it every time, not by chance. Needs
 * concurrent transactions: PostgreSQL (TEST_DATABASE_URL); the embedded database runs one at a time.
 */
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('creating a personal access token while its creator is being demoted', () => {
  let t: TestApp;
  let a: SignedUp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    ds = t.app.get(DataSource);
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  /** A second admin of the account, with a session and a PAT that may make tokens. */
  const secondAdmin = async () => {
    const admin = await createUser(t, a.accessToken, { role: 'admin' });
    const session = (await login(t, a.account.alias, admin.email)).accessToken;
    const pat = await createPat(t, session, ['personalAccessToken:write', 'user:read']);
    return { id: admin.id, session, pat: pat.token };
  };

  /** What a demotion does, held open after its first step (the row lock) until `finish` runs the rest and commits. */
  const demotionHeldOpen = async (userId: string) => {
    const held = await transactionHeldOpen(ds, [[`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [userId]]]);
    return {
      finish: () =>
        held.finish([
          [`UPDATE users SET role = 'user' WHERE id = $1`, [userId]],
          [`UPDATE personal_access_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]],
        ]),
    };
  };

  const liveTokensOf = async (userId: string) =>
    (
      (await ds.query(
        `SELECT count(*)::int AS n FROM personal_access_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId],
      )) as { n: number }[]
    )[0].n;

  it.each([
    ['with the admin’s session', 'session', 403, 'FORBIDDEN'],
    ['with the admin’s PAT (a child token)', 'pat', 401, 'UNAUTHENTICATED'],
  ] as const)(
    '%s is refused once the demotion commits, and nothing it made stays live',
    async (_, by, status, code) => {
      const admin = await secondAdmin();
      const demotion = await demotionHeldOpen(admin.id);
      const creation = api(t)
        .post('/v3/personal-access-tokens')
        .set(bearer(by === 'session' ? admin.session : admin.pat))
        .send({ name: 'made during the demotion', scopes: ['user:read'] })
        .then((res) => res);
      await untilWaitingOnALock(ds, 'the creation');
      await demotion.finish();
      const res = await creation;
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(await liveTokensOf(admin.id)).toBe(0);

      // Promoted again, the admin has no token back: every token made before or during the demotion is dead.
      const promoted = await api(t).patch(`/v3/users/${admin.id}`).set(bearer(a.accessToken)).send({ role: 'admin' });
      expect(promoted.status).toBe(200);
      expect(await liveTokensOf(admin.id)).toBe(0);
      expect((await api(t).get('/v3/users').set(bearer(admin.pat))).status).toBe(401);
    },
  );

  it('the real demotion racing 20 creations by the admin’s PAT: no 5xx, and every token is revoked', async () => {
    const admin = await secondAdmin();
    const creations = Array.from({ length: 20 }, (_, i) =>
      api(t)
        .post('/v3/personal-access-tokens')
        .set(bearer(admin.pat))
        .send({ name: `race ${i}`, scopes: ['user:read'] })
        .then((res) => res.status),
    );
    const demotion = await api(t).patch(`/v3/users/${admin.id}`).set(bearer(a.accessToken)).send({ role: 'user' });
    const statuses = await Promise.all(creations);
    expect(demotion.status).toBe(200);
    expect(statuses.filter((s) => s !== 201 && s !== 401)).toEqual([]);
    expect(await liveTokensOf(admin.id)).toBe(0);
  });
});
