import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateToken, parseToken } from '../src/auth/token-format.js';
import { DEFAULT_RATE_LIMITS } from '../src/config/app-config.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { mailbox } from './helpers/mailbox.js';
import {
  bearer,
  createPat,
  createUser,
  login,
  signUp,
  type SignedUp,
  STRONG_PASSWORD,
  uniqueAlias,
} from './helpers/factories.js';

// Argon2id and zxcvbn are slow on a busy machine; these suites boot a real app and database.
jest.setTimeout(30_000);

const NEW_PASSWORD = 'amber comet teacup harbor 9153';
const OTHER_PASSWORD = 'juniper falcon orbit crayon 4470';
const INVALID = {
  statusCode: 400,
  error: 'Bad Request',
  message: expect.any(String),
  code: 'RESET_TOKEN_INVALID',
};

describe('password reset', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let issuer: { id: string; token: string };
  /** Every secret handed out, to prove none reaches an event or a log line. */
  const secrets: string[] = [];

  const issue = (token: string, userId: string, body: Record<string, unknown> = {}) =>
    api(t).post(`/v3/users/${userId}/reset-password-token`).set(bearer(token)).send(body);
  const reset = (userId: string, body: unknown) =>
    api(t)
      .post(`/v3/users/${userId}/reset-password`)
      .set('content-type', 'application/json')
      .send(JSON.stringify(body));
  const issued = async (userId: string, body: Record<string, unknown> = {}): Promise<string> => {
    const res = await issue(issuer.token, userId, body);
    expect(res.status).toBe(201);
    secrets.push(res.body.resetPasswordToken);
    return res.body.resetPasswordToken as string;
  };
  const newUser = async (overrides: Record<string, unknown> = {}) => createUser(t, a.accessToken, overrides);
  const canLogin = async (email: string, password: string) =>
    (await api(t).post('/v3/accounts/login').send({ accountAlias: a.account.alias, email, password })).status === 200;
  const events = async (action: string) => {
    const res = await api(t).get(`/v3/event-logs?action=${action}&limit=100`).set(bearer(a.accessToken));
    expect(res.status).toBe(200);
    return res.body as {
      actor: { type: string; id: string | null };
      targetUserId: string;
      data: Record<string, unknown>;
    }[];
  };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    a = await signUp(t);
    b = await signUp(t);
    issuer = await createPat(t, a.accessToken, ['user:resetPasswordToken', 'user:read']);
    secrets.push(a.accessToken, b.accessToken, issuer.token);
  }, 120_000);
  afterAll(async () => t?.close());

  describe('POST /v3/users/{id}/reset-password-token', () => {
    it('is 404 for an unknown user', async () => {
      const res = await issue(issuer.token, '00000000-0000-4000-8000-000000000000');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('is 403 FORBIDDEN for an admin, even from an admin session', async () => {
      const res = await issue(a.accessToken, a.user.id);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const admin = await newUser({ role: 'admin' });
      expect((await issue(issuer.token, admin.id)).body.code).toBe('FORBIDDEN');
    });

    it('is 400 VALIDATION_FAILED for a lifetime outside 60 … the account maximum', async () => {
      const user = await newUser();
      for (const expiresInSeconds of [59, 86_401, 0, -5, 1.5, '3600']) {
        const res = await issue(issuer.token, user.id, { expiresInSeconds });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await issue(issuer.token, user.id, { send: 'yes' })).body.code).toBe('VALIDATION_FAILED');
      expect((await issue(issuer.token, user.id, { role: 'admin' })).body.code).toBe('VALIDATION_FAILED');
      expect((await issue(issuer.token, 'not-a-uuid')).body.code).toBe('VALIDATION_FAILED');
      const longest = await issue(issuer.token, user.id, { expiresInSeconds: 86_400 });
      expect(longest.status).toBe(201);
      secrets.push(longest.body.resetPasswordToken);
    });

    it('returns the token once with no-store, the default lifetime and the built-in link', async () => {
      const user = await newUser();
      const before = t.clock.now().getTime();
      const res = await issue(issuer.token, user.id);
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const { resetPasswordToken: token, expiresAt, link } = res.body;
      secrets.push(token);
      expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'link', 'resetPasswordToken']);
      expect(parseToken(token)).toBe('rst');
      const ttl = (Date.parse(expiresAt) - before) / 1000;
      expect(ttl).toBeGreaterThanOrEqual(3599);
      expect(ttl).toBeLessThanOrEqual(3605);
      expect(link).toBe(`http://localhost:3000/reset-password?userId=${user.id}#token=${token}`);
    });

    it('works with user:write (which implies it) and from an admin session; only a request body, not any query', async () => {
      const user = await newUser();
      const writer = await createPat(t, a.accessToken, ['user:write']);
      const byWriter = await issue(writer.token, user.id, { expiresInSeconds: 60 });
      expect(byWriter.status).toBe(201);
      const bySession = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken));
      expect(bySession.status).toBe(201);
      secrets.push(byWriter.body.resetPasswordToken, bySession.body.resetPasswordToken);
    });

    it('kills the earlier token when a new one is issued', async () => {
      const user = await newUser();
      const first = await issued(user.id);
      const second = await issued(user.id);
      expect((await reset(user.id, { token: first, newPassword: NEW_PASSWORD })).body).toEqual(INVALID);
      expect((await reset(user.id, { token: second, newPassword: NEW_PASSWORD })).status).toBe(204);
    });

    it('records an event with the PAT as actor and no secret', async () => {
      const user = await newUser();
      const res = await issue(issuer.token, user.id, { expiresInSeconds: 600 });
      secrets.push(res.body.resetPasswordToken);
      const [event] = (await events('user.resetPasswordToken.created')).filter((e) => e.targetUserId === user.id);
      expect(event.actor).toEqual({ type: 'personalAccessToken', id: issuer.id });
      expect(event.data).toMatchObject({ tokenId: expect.any(String), expiresAt: res.body.expiresAt, origin: 'api' });
    });

    it('with send: true also queues the reset email with the same link', async () => {
      const user = await newUser();
      const res = await issue(issuer.token, user.id, { send: true });
      expect(res.status).toBe(201);
      secrets.push(res.body.resetPasswordToken);
      const mails = (await mailbox(t)).filter((m) => m.to === user.email);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe(`Reset your ${a.account.name} password`);
      expect(mails[0].text).toContain(res.body.link);
    });
  });

  describe('GET and DELETE /v3/users/{id}/reset-password-tokens', () => {
    it("lists the outstanding token's metadata, never the secret", async () => {
      const user = await newUser();
      const empty = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(issuer.token));
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual([]);
      const token = await issued(user.id, { expiresInSeconds: 120 });
      const reader = await createPat(t, a.accessToken, ['user:read']);
      const res = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(reader.token));
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('1');
      expect(res.body).toEqual([
        {
          id: expect.any(String),
          createdAt: expect.any(String),
          expiresAt: expect.any(String),
          origin: 'api',
          createdBy: { type: 'personalAccessToken', id: issuer.id },
        },
      ]);
      expect(Date.parse(res.body[0].expiresAt) - Date.parse(res.body[0].createdAt)).toBe(120_000);
      expect(res.text).not.toContain(token);
    });

    it('lists for an admin user too, and hides used, revoked and expired tokens', async () => {
      const user = await newUser();
      const used = await issued(user.id);
      expect((await reset(user.id, { token: used, newPassword: NEW_PASSWORD })).status).toBe(204);
      const list = () => api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect((await list()).body).toEqual([]);
      await issued(user.id, { expiresInSeconds: 60 });
      expect((await list()).body).toHaveLength(1);
      t.clock.advance(61);
      expect((await list()).body).toEqual([]);
      const admin = await api(t).get(`/v3/users/${a.user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(admin.status).toBe(200);
    });

    it('DELETE revokes every outstanding token, records it, and is 403 for a PAT aimed at an admin', async () => {
      const user = await newUser();
      const token = await issued(user.id);
      const res = await api(t).delete(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(issuer.token));
      expect(res.status).toBe(204);
      expect((await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(issuer.token))).body).toEqual(
        [],
      );
      expect((await reset(user.id, { token, newPassword: NEW_PASSWORD })).body).toEqual(INVALID);
      const [event] = (await events('user.resetPasswordToken.revoked')).filter((e) => e.targetUserId === user.id);
      expect(event.actor).toEqual({ type: 'personalAccessToken', id: issuer.id });
      const admin = await api(t).delete(`/v3/users/${a.user.id}/reset-password-tokens`).set(bearer(issuer.token));
      expect(admin.status).toBe(403);
      expect(admin.body.code).toBe('FORBIDDEN');
      // An admin session may revoke anyone's tokens, admins' included.
      const bySession = await api(t).delete(`/v3/users/${a.user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(bySession.status).toBe(204);
    });
  });

  describe('POST /v3/users/{id}/reset-password', () => {
    it('sets the password, ends every session, does not log in, and records who did it', async () => {
      const user = await newUser();
      const sessions = [await login(t, a.account.alias, user.email), await login(t, a.account.alias, user.email)];
      for (const s of sessions)
        expect((await api(t).get(`/v3/users/${user.id}`).set(bearer(s.accessToken))).status).toBe(200);
      const token = await issued(user.id);
      const res = await reset(user.id, { token, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers['set-cookie']).toBeUndefined();
      for (const s of sessions)
        expect((await api(t).get(`/v3/users/${user.id}`).set(bearer(s.accessToken))).status).toBe(401);
      expect(await canLogin(user.email, NEW_PASSWORD)).toBe(true);
      expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(false);
      const [event] = (await events('user.passwordReset')).filter((e) => e.targetUserId === user.id);
      expect(event.actor).toEqual({ type: 'anonymous', id: null });
      expect(event.data).toEqual({ tokenId: expect.any(String), origin: 'api' });
      const fetched = await api(t).get(`/v3/users/${user.id}`).set(bearer(a.accessToken));
      expect(fetched.body.passwordChangedAt).not.toBeNull();
    });

    it('normalises the new password to NFC, so either form logs in', async () => {
      const user = await newUser();
      const token = await issued(user.id);
      const decomposed = `cafe\u0301 ${OTHER_PASSWORD}`;
      expect((await reset(user.id, { token, newPassword: decomposed })).status).toBe(204);
      expect(await canLogin(user.email, `caf\u00e9 ${OTHER_PASSWORD}`)).toBe(true);
    });

    it("refuses user A's token on user B and leaves B unchanged", async () => {
      const userA = await newUser();
      const userB = await newUser();
      const token = await issued(userA.id);
      expect((await reset(userB.id, { token, newPassword: NEW_PASSWORD })).body).toEqual(INVALID);
      expect(await canLogin(userB.email, STRONG_PASSWORD)).toBe(true);
      expect(await canLogin(userB.email, NEW_PASSWORD)).toBe(false);
      // The token was never consumed: it still works for its own user.
      expect((await reset(userA.id, { token, newPassword: NEW_PASSWORD })).status).toBe(204);
    });

    it('refuses a token on a user of another account with the same id shape', async () => {
      const userA = await newUser();
      const userOfB = await createUser(t, b.accessToken);
      const token = await issued(userA.id);
      expect((await reset(userOfB.id, { token, newPassword: NEW_PASSWORD })).body).toEqual(INVALID);
    });

    it('refuses a used, an expired and a revoked token', async () => {
      const user = await newUser();
      const token = await issued(user.id);
      expect((await reset(user.id, { token, newPassword: NEW_PASSWORD })).status).toBe(204);
      expect((await reset(user.id, { token, newPassword: OTHER_PASSWORD })).body).toEqual(INVALID);
      expect(await canLogin(user.email, NEW_PASSWORD)).toBe(true);

      const expiring = await issued(user.id, { expiresInSeconds: 60 });
      t.clock.advance(61);
      expect((await reset(user.id, { token: expiring, newPassword: OTHER_PASSWORD })).body).toEqual(INVALID);

      const revoked = await issued(user.id);
      await api(t).delete(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(issuer.token)).expect(204);
      expect((await reset(user.id, { token: revoked, newPassword: OTHER_PASSWORD })).body).toEqual(INVALID);
      expect(await canLogin(user.email, NEW_PASSWORD)).toBe(true);
    });

    it('a token dies when the password is changed with update-password', async () => {
      const user = await newUser();
      const token = await issued(user.id);
      const session = await login(t, a.account.alias, user.email);
      await api(t)
        .post(`/v3/users/${user.id}/update-password`)
        .set(bearer(session.accessToken))
        .send({ oldPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(204);
      expect((await reset(user.id, { token, newPassword: OTHER_PASSWORD })).body).toEqual(INVALID);
    });

    it('a token dies when the email changes, and when the user is deleted', async () => {
      const user = await newUser();
      const token = await issued(user.id);
      const patched = await api(t)
        .patch(`/v3/users/${user.id}`)
        .set(bearer(a.accessToken))
        .send({ email: `moved-${uniqueAlias()}@example.test` });
      expect(patched.status).toBe(200);
      expect((await reset(user.id, { token, newPassword: NEW_PASSWORD })).body).toEqual(INVALID);

      const doomed = await newUser();
      const doomedToken = await issued(doomed.id);
      await api(t).delete(`/v3/users/${doomed.id}`).set(bearer(a.accessToken)).expect(204);
      expect((await reset(doomed.id, { token: doomedToken, newPassword: NEW_PASSWORD })).body).toEqual(INVALID);
    });

    it('a weak password is WEAK_PASSWORD with the reason, and the token still works', async () => {
      const user = await newUser({ firstName: 'Rosalind', lastName: 'Quimby' });
      const token = await issued(user.id);
      const cases: [string, RegExp][] = [
        ['short', /at least 15 characters/],
        ['passwordpassword123', /too easy to guess/],
        [`rosalind ${OTHER_PASSWORD}`, /first name/],
        [`${'x'.repeat(257)}`, /at most 256/],
      ];
      for (const [newPassword, reason] of cases) {
        const res = await reset(user.id, { token, newPassword });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('WEAK_PASSWORD');
        expect(res.body.message).toMatch(reason);
      }
      expect((await reset(user.id, { token, newPassword: NEW_PASSWORD })).status).toBe(204);
      expect(await canLogin(user.email, NEW_PASSWORD)).toBe(true);
    });

    it('with a live token, a body that is not { token, newPassword } is VALIDATION_FAILED and the token stays', async () => {
      const user = await newUser();
      const token = await issued(user.id);
      const unknownField = await reset(user.id, { token, newPassword: NEW_PASSWORD, role: 'admin' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.code).toBe('VALIDATION_FAILED');
      const noPassword = await reset(user.id, { token });
      expect(noPassword.body.code).toBe('VALIDATION_FAILED');
      expect(noPassword.body.details).toEqual([{ field: 'newPassword', message: expect.any(String) }]);
      expect((await reset(user.id, { token, newPassword: 42 })).body.code).toBe('VALIDATION_FAILED');
      expect((await reset(user.id, { token, newPassword: NEW_PASSWORD })).status).toBe(204);
    });

    it('answers every malformed token, body and path with the same RESET_TOKEN_INVALID body, never a 5xx', async () => {
      const user = await newUser();
      const live = await issued(user.id);
      const unknown = generateToken('rst');
      const badChecksum = live.slice(0, -1) + (live.endsWith('A') ? 'B' : 'A');
      const bodies: unknown[] = [
        { token: '', newPassword: NEW_PASSWORD },
        { token: 12345, newPassword: NEW_PASSWORD },
        { token: [live], newPassword: NEW_PASSWORD },
        { token: { $ne: null }, newPassword: NEW_PASSWORD },
        { token: null, newPassword: NEW_PASSWORD },
        { token: 'lk_rst_' + 'A'.repeat(10 * 1024), newPassword: NEW_PASSWORD },
        { token: `${live}\u0000`, newPassword: NEW_PASSWORD },
        { token: `\u0000${live.slice(1)}`, newPassword: NEW_PASSWORD },
        { token: generateToken('pat'), newPassword: NEW_PASSWORD },
        { token: generateToken('ses'), newPassword: NEW_PASSWORD },
        { token: live.replace('lk_rst_', 'lk_xyz_'), newPassword: NEW_PASSWORD },
        { token: ` ${live}`, newPassword: NEW_PASSWORD },
        { token: badChecksum, newPassword: NEW_PASSWORD },
        { token: unknown, newPassword: NEW_PASSWORD },
        // Without a live token the password policy is never consulted.
        { token: unknown, newPassword: 'a' },
        { newPassword: NEW_PASSWORD },
        { tokne: live, newPassword: NEW_PASSWORD, role: 'admin' },
        {},
        [],
        [live],
      ];
      const first = await reset(user.id, bodies[0]);
      expect(first.status).toBe(400);
      expect(first.body).toEqual(INVALID);
      for (const body of bodies) {
        const res = await reset(user.id, body);
        expect({ body, status: res.status, res: res.body }).toEqual({ body, status: 400, res: first.body });
      }
      for (const id of ['not-a-uuid', '1', user.id.slice(0, -1), `${user.id}x`, '%00']) {
        const res = await reset(id, { token: live, newPassword: NEW_PASSWORD });
        expect({ id, status: res.status, res: res.body }).toEqual({ id, status: 400, res: first.body });
      }
      // Upper-case ids are the same user: the token still works after all of that.
      expect((await reset(user.id.toUpperCase(), { token: live, newPassword: NEW_PASSWORD })).status).toBe(204);
    });

    it('queues the password-changed email for an API-issued token even when notifications are off', async () => {
      const off = await api(t)
        .patch(`/v3/accounts/${a.account.id}`)
        .set(bearer(a.accessToken))
        .send({ notifyOnPasswordChange: false });
      expect(off.status).toBe(200);
      try {
        const user = await newUser();
        const token = await issued(user.id);
        expect((await reset(user.id, { token, newPassword: NEW_PASSWORD })).status).toBe(204);
        const session = await login(t, a.account.alias, user.email, NEW_PASSWORD);
        await api(t)
          .post(`/v3/users/${user.id}/update-password`)
          .set(bearer(session.accessToken))
          .send({ oldPassword: NEW_PASSWORD, newPassword: OTHER_PASSWORD })
          .expect(204);
        const changed = (await mailbox(t)).filter(
          (m) => m.to === user.email && m.subject === `Your ${a.account.name} password was changed`,
        );
        // One for the API reset; none for update-password while notifications are off.
        expect(changed).toHaveLength(1);
      } finally {
        await api(t)
          .patch(`/v3/accounts/${a.account.id}`)
          .set(bearer(a.accessToken))
          .send({ notifyOnPasswordChange: true })
          .expect(200);
      }
    });
  });

  describe('POST /v3/users/{id}/update-password', () => {
    const update = (token: string, userId: string, body: Record<string, unknown>) =>
      api(t).post(`/v3/users/${userId}/update-password`).set(bearer(token)).send(body);

    it('is 401 without a token, 403 for a PAT and for another user, 404 across accounts', async () => {
      const user = await newUser();
      const other = await newUser();
      const body = { oldPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD };
      expect((await api(t).post(`/v3/users/${user.id}/update-password`).send(body)).status).toBe(401);
      const writer = await createPat(t, a.accessToken, ['user:write']);
      const byPat = await update(writer.token, user.id, body);
      expect(byPat.status).toBe(403);
      expect(byPat.body.code).toBe('FORBIDDEN');
      const otherSession = await login(t, a.account.alias, other.email);
      const byOther = await update(otherSession.accessToken, user.id, body);
      expect(byOther.status).toBe(403);
      expect(byOther.body.code).toBe('FORBIDDEN');
      // Not even an admin session changes another user's password this way.
      expect((await update(a.accessToken, user.id, body)).body.code).toBe('FORBIDDEN');
      expect((await update(otherSession.accessToken, b.user.id, body)).status).toBe(404);
      expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(true);
    });

    it('is WRONG_PASSWORD for a wrong old password and WEAK_PASSWORD for a weak new one', async () => {
      const user = await newUser();
      const session = await login(t, a.account.alias, user.email);
      const wrong = await update(session.accessToken, user.id, {
        oldPassword: OTHER_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('WRONG_PASSWORD');
      const weak = await update(session.accessToken, user.id, { oldPassword: STRONG_PASSWORD, newPassword: 'short' });
      expect(weak.body.code).toBe('WEAK_PASSWORD');
      const missing = await update(session.accessToken, user.id, { newPassword: NEW_PASSWORD });
      expect(missing.body.code).toBe('VALIDATION_FAILED');
      expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(true);
    });

    it("changes the password, ends the user's other sessions and keeps the caller's", async () => {
      const user = await newUser();
      const caller = await login(t, a.account.alias, user.email);
      const elsewhere = await login(t, a.account.alias, user.email);
      const res = await update(caller.accessToken, user.id, {
        oldPassword: STRONG_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(res.status).toBe(204);
      expect((await api(t).get(`/v3/users/${user.id}`).set(bearer(caller.accessToken))).status).toBe(200);
      expect((await api(t).get(`/v3/users/${user.id}`).set(bearer(elsewhere.accessToken))).status).toBe(401);
      expect(await canLogin(user.email, NEW_PASSWORD)).toBe(true);
      expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(false);
      const [event] = (await events('user.passwordUpdated')).filter((e) => e.targetUserId === user.id);
      expect(event.actor).toEqual({ type: 'user', id: user.id });
      const mails = (await mailbox(t)).filter((m) => m.to === user.email);
      expect(mails.map((m) => m.subject)).toEqual([`Your ${a.account.name} password was changed`]);
    });
  });

  it('no secret or password reaches an event or a log line', async () => {
    const all = await api(t).get('/v3/event-logs?limit=100').set(bearer(a.accessToken));
    const haystack = JSON.stringify(all.body) + '\n' + t.logs.lines.join('\n');
    expect(all.body.length).toBeGreaterThan(10);
    for (const needle of [...secrets, NEW_PASSWORD, OTHER_PASSWORD, STRONG_PASSWORD]) {
      expect(haystack).not.toContain(needle);
    }
    expect(haystack).not.toMatch(/lk_(rst|ses|pat)_[0-9A-Za-z]{20,}/);
  });
});

describe('password reset rate limits', () => {
  let t: TestApp;
  let a: SignedUp;
  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'on',
      OUTBOX_WORKER: 'off',
      RATE_LIMIT_RESET_FAILURES_TARGET_IP: '5/900',
      RATE_LIMIT_ISSUE_TARGET: '3/3600',
      RATE_LIMIT_ISSUE_CALLER: '5/3600',
    });
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const reset = (userId: string, ip: string, body: Record<string, unknown>) =>
    api(t).post(`/v3/users/${userId}/reset-password`).set(from(ip)).send(body);

  it('limits issuance per target and per calling PAT, with Retry-After', async () => {
    const pat = await createPat(t, a.accessToken, ['user:resetPasswordToken']);
    const x = await createUser(t, a.accessToken);
    const y = await createUser(t, a.accessToken);
    const issue = (token: string, userId: string) =>
      api(t).post(`/v3/users/${userId}/reset-password-token`).set(bearer(token)).send({});
    for (let i = 0; i < 3; i++) expect((await issue(pat.token, x.id)).status).toBe(201);
    const perTarget = await issue(pat.token, x.id);
    expect(perTarget.status).toBe(429);
    expect(perTarget.body.code).toBe('RATE_LIMITED');
    expect(Number(perTarget.headers['retry-after'])).toBeGreaterThan(0);
    // Four calls so far count against the PAT: one more passes, then the PAT is spent.
    expect((await issue(pat.token, y.id)).status).toBe(201);
    const perCaller = await issue(pat.token, y.id);
    expect(perCaller.status).toBe(429);
    expect(Number(perCaller.headers['retry-after'])).toBeGreaterThan(0);
    const fresh = await createPat(t, a.accessToken, ['user:resetPasswordToken']);
    expect((await issue(fresh.token, y.id)).status).toBe(201);
  });

  it('a refused issuance (a lifetime out of range) spends neither the target’s budget nor the caller’s', async () => {
    const pat = await createPat(t, a.accessToken, ['user:resetPasswordToken']);
    const x = await createUser(t, a.accessToken);
    const issue = (body: object) =>
      api(t).post(`/v3/users/${x.id}/reset-password-token`).set(bearer(pat.token)).send(body);
    for (let i = 0; i < 6; i++) expect((await issue({ expiresInSeconds: 1 })).status).toBe(400);
    // The target's 3 and the caller's 5 are all still there.
    for (let i = 0; i < 3; i++) expect((await issue({})).status).toBe(201);
  });

  it('300 random tokens from one address: 429 appears, nothing succeeds, the real user still resets elsewhere', async () => {
    const user = await createUser(t, a.accessToken);
    const issuedRes = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken));
    const token = issuedRes.body.resetPasswordToken as string;
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await reset(user.id, '198.51.100.7', { token: generateToken('rst'), newPassword: NEW_PASSWORD });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(295);
    // The attacker's address is locked out of guessing at this user, but a live token always
    // proceeds, there as anywhere.
    expect((await reset(user.id, '198.51.100.7', { token, newPassword: NEW_PASSWORD })).status).toBe(204);
    const login = await api(t)
      .post('/v3/accounts/login')
      .set(from('203.0.113.9'))
      .send({ accountAlias: a.account.alias, email: user.email, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
  }, 120_000);

  it('a wrong old password on update-password counts as a failed login for that address', async () => {
    const user = await createUser(t, a.accessToken);
    const session = await login(t, a.account.alias, user.email);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api(t)
        .post(`/v3/users/${user.id}/update-password`)
        .set(bearer(session.accessToken))
        .set(from('192.0.2.44'))
        .send({ oldPassword: `${OTHER_PASSWORD} ${i}`, newPassword: NEW_PASSWORD });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
    const viaLogin = await api(t)
      .post('/v3/accounts/login')
      .set(from('192.0.2.44'))
      .send({ accountAlias: a.account.alias, email: user.email, password: STRONG_PASSWORD });
    expect(viaLogin.status).toBe(429);
  });

  it('update-password failures also count against the per-target budget: guessing from many addresses buys nothing', async () => {
    const user = await createUser(t, a.accessToken);
    const session = await login(t, a.account.alias, user.email);
    const per = DEFAULT_RATE_LIMITS.LOGIN_FAILURES_TARGET_IP.points;
    const all = DEFAULT_RATE_LIMITS.LOGIN_FAILURES_TARGET.points;
    const guess = (ip: string, i: number) =>
      api(t)
        .post(`/v3/users/${user.id}/update-password`)
        .set(bearer(session.accessToken))
        .set(from(ip))
        .send({ oldPassword: `${OTHER_PASSWORD} ${i}`, newPassword: NEW_PASSWORD });
    for (let i = 0; i < all; i++) expect((await guess(`198.18.${Math.floor(i / per)}.1`, i)).status).toBe(400);
    expect((await guess('198.18.200.1', all)).status).toBe(429);
    const viaLogin = await api(t)
      .post('/v3/accounts/login')
      .set(from('198.18.201.1'))
      .send({ accountAlias: a.account.alias, email: user.email, password: STRONG_PASSWORD });
    expect(viaLogin.status).toBe(429);
  }, 120_000);

  it('update-password counts against the same budget as login for an address with a non-ASCII domain', async () => {
    const user = await createUser(t, a.accessToken, { email: `idn-${Date.now()}@bücher.example` });
    const session = await login(t, a.account.alias, user.email);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api(t)
        .post(`/v3/users/${user.id}/update-password`)
        .set(bearer(session.accessToken))
        .set(from('192.0.2.45'))
        .send({ oldPassword: `${OTHER_PASSWORD} ${i}`, newPassword: NEW_PASSWORD });
      statuses.push(res.status);
    }
    expect(statuses[10]).toBe(429);
    const viaLogin = await api(t)
      .post('/v3/accounts/login')
      .set(from('192.0.2.45'))
      .send({ accountAlias: a.account.alias, email: user.email, password: STRONG_PASSWORD });
    expect(viaLogin.status).toBe(429);
  });
});
