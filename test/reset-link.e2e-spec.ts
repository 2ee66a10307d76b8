import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateToken } from '../src/auth/token-format.js';
import { DEFAULT_RATE_LIMITS } from '../src/config/app-config.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { mailbox } from './helpers/mailbox.js';
import { bearer, createUser, login, signUp, type SignedUp, STRONG_PASSWORD } from './helpers/factories.js';

// Argon2id and zxcvbn are slow on a busy machine; these suites boot a real app and database.
jest.setTimeout(60_000);

const NEW_PASSWORD = 'amber comet teacup harbor 9153';
const INVALID = {
  statusCode: 400,
  error: 'Bad Request',
  message: expect.any(String),
  code: 'RESET_TOKEN_INVALID',
};
const RESET = 'user.reset-password-request';
const CHANGED = 'user.password-changed';

/** Checking a reset link before use and cancelling it ("I did not ask for this"). */
describe('reset-password/verify and reset-password/cancel', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;

  const issue = async (userId: string, admin: SignedUp = a, body: Record<string, unknown> = {}) => {
    const res = await api(t).post(`/v3/users/${userId}/reset-password-token`).set(bearer(admin.accessToken)).send(body);
    expect(res.status).toBe(201);
    return res.body as { resetPasswordToken: string; expiresAt: string };
  };
  const call = (route: 'verify' | 'cancel', userId: string, body: unknown) =>
    api(t)
      .post(`/v3/users/${userId}/reset-password/${route}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify(body));
  const reset = (userId: string, token: string, newPassword = NEW_PASSWORD) =>
    api(t).post(`/v3/users/${userId}/reset-password`).send({ token, newPassword });
  const canLogin = async (email: string, password: string) =>
    (await api(t).post('/v3/accounts/login').send({ accountAlias: a.account.alias, email, password })).status === 200;
  const events = async (action: string, userId: string) => {
    const res = await api(t).get(`/v3/event-logs?action=${action}&limit=100`).set(bearer(a.accessToken));
    expect(res.status).toBe(200);
    return (res.body as { targetUserId: string; actor: unknown; data: Record<string, unknown> }[]).filter(
      (e) => e.targetUserId === userId,
    );
  };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off', DB_POOL_SIZE: '20' });
    a = await signUp(t);
    b = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it.each(['verify', 'cancel'] as const)(
    '%s with a live token refuses an unknown body field, as reset-password does, and leaves the token alive',
    async (route) => {
      const user = await createUser(t, a.accessToken);
      const issued = await issue(user.id);
      const res = await call(route, user.id, { token: issued.resetPasswordToken, foo: 1 });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([{ field: 'foo', message: 'foo is not a known field' }]);
      expect((await call('verify', user.id, { token: issued.resetPasswordToken })).status).toBe(200);
    },
  );

  describe('verify', () => {
    it("answers 200 with the token's expiry and the account's minimum length, and leaves the token unused", async () => {
      const user = await createUser(t, a.accessToken);
      const issued = await issue(user.id);
      for (let i = 0; i < 2; i++) {
        const res = await call('verify', user.id, { token: issued.resetPasswordToken });
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({ expiresAt: issued.expiresAt, minPasswordLength: 15 });
      }
      const listed = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(listed.body).toHaveLength(1);
      expect((await reset(user.id, issued.resetPasswordToken)).status).toBe(204);
    });

    it("shows the account's current minPasswordLength", async () => {
      const c = await signUp(t);
      const patched = await api(t)
        .patch(`/v3/accounts/${c.account.id}`)
        .set(bearer(c.accessToken))
        .send({ minPasswordLength: 22 });
      expect(patched.status).toBe(200);
      const user = await createUser(t, c.accessToken, { password: undefined });
      const issued = await issue(user.id, c);
      const res = await call('verify', user.id, { token: issued.resetPasswordToken });
      expect(res.body).toEqual({ expiresAt: issued.expiresAt, minPasswordLength: 22 });
    });
  });

  describe('cancel', () => {
    it("kills the user's token, records who and what, and changes and sends nothing else", async () => {
      const user = await createUser(t, a.accessToken);
      const session = await login(t, a.account.alias, user.email);
      const before = (await api(t).get(`/v3/users/${user.id}`).set(bearer(a.accessToken))).body;
      const mailsBefore = (await mailbox(t)).filter((m) => m.to === user.email).length;
      const { resetPasswordToken: token } = await issue(user.id);

      const res = await call('cancel', user.id, { token });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      expect(await call('verify', user.id, { token }).then((r) => r.body)).toEqual(INVALID);
      expect((await reset(user.id, token)).body).toEqual(INVALID);
      const listed = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(listed.body).toEqual([]);
      const [event, ...more] = await events('user.resetPasswordCanceled', user.id);
      expect(more).toEqual([]);
      expect(event.actor).toEqual({ type: 'anonymous', id: null });
      expect(event.data).toEqual({ tokenId: expect.any(String), origin: 'api', count: 1 });
      expect(JSON.stringify(event)).not.toContain(token);

      // Nothing else: the password, the user, the sessions; and no email.
      expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(true);
      expect((await api(t).get(`/v3/users/${user.id}`).set(bearer(session.accessToken))).status).toBe(200);
      const after = (await api(t).get(`/v3/users/${user.id}`).set(bearer(a.accessToken))).body;
      expect(after).toEqual({ ...before, lastLoginAt: after.lastLoginAt });
      expect((await mailbox(t)).filter((m) => m.to === user.email)).toHaveLength(mailsBefore);
    });

    it('also cancels a token from an emailed reset request, and a new token works afterwards', async () => {
      const user = await createUser(t, a.accessToken);
      const requested = await api(t)
        .post('/v3/accounts/reset-password-request')
        .send({ accountAlias: a.account.alias, email: user.email });
      expect(requested.status).toBe(202);
      const [mail] = (await mailbox(t)).filter((m) => m.to === user.email);
      const cancelLink = new URL(/https?:\/\/\S+\/reset-password\/cancel\?\S+/.exec(mail.text)![0]);
      const token = new URLSearchParams(cancelLink.hash.slice(1)).get('token')!;
      expect((await call('cancel', user.id, { token })).status).toBe(204);
      const [event] = await events('user.resetPasswordCanceled', user.id);
      expect(event.data.origin).toBe('email');
      const fresh = await issue(user.id);
      expect((await reset(user.id, fresh.resetPasswordToken)).status).toBe(204);
    });
  });

  describe.each(['verify', 'cancel'] as const)('%s judges the token exactly like reset-password', (route) => {
    it('answers every token failure with the same RESET_TOKEN_INVALID body', async () => {
      const user = await createUser(t, a.accessToken);
      const other = await createUser(t, a.accessToken);
      const stranger = await createUser(t, b.accessToken);
      const live = (await issue(user.id)).resetPasswordToken;
      const othersToken = (await issue(other.id)).resetPasswordToken;
      const strangersToken = (await issue(stranger.id, b)).resetPasswordToken;
      const flipped = live.slice(0, -1) + (live.endsWith('A') ? 'B' : 'A');
      const cases: [string, string, unknown][] = [
        ['unknown token', user.id, { token: generateToken('rst') }],
        ['bad checksum', user.id, { token: flipped }],
        ['another kind of token', user.id, { token: generateToken('pat') }],
        ['garbage token', user.id, { token: 'not a token' }],
        ['token not a string', user.id, { token: 42 }],
        ['no token', user.id, {}],
        ['array body', user.id, [live]],
        ['null body', user.id, null],
        ['number body', user.id, 42],
        ['string body', user.id, live],
        ["another user's token", user.id, { token: othersToken }],
        ["another account's token", user.id, { token: strangersToken }],
        ['the right token on another user', other.id, { token: live }],
        ['malformed user id', 'not-a-uuid', { token: live }],
        ['unknown user id', '00000000-0000-4000-8000-000000000000', { token: live }],
      ];
      for (const [name, userId, body] of cases) {
        const res = await call(route, userId, body);
        expect({ name, status: res.status, body: res.body }).toEqual({ name, status: 400, body: INVALID });
      }
      const notJson = await api(t)
        .post(`/v3/users/${user.id}/reset-password/${route}`)
        .set('content-type', 'application/json')
        .send(`{"token": "${live}"`);
      expect({ status: notJson.status, body: notJson.body }).toEqual({ status: 400, body: INVALID });
      // None of that used or killed the live token.
      expect((await call('verify', user.id, { token: live })).status).toBe(200);
    });

    it('refuses an expired, used, revoked or replaced token and one whose user is gone', async () => {
      const expiring = await createUser(t, a.accessToken);
      const expired = (await issue(expiring.id, a, { expiresInSeconds: 60 })).resetPasswordToken;
      t.clock.advance(61);
      try {
        expect((await call(route, expiring.id, { token: expired })).body).toEqual(INVALID);
      } finally {
        t.clock.reset();
      }

      const used = await createUser(t, a.accessToken);
      const usedToken = (await issue(used.id)).resetPasswordToken;
      expect((await reset(used.id, usedToken)).status).toBe(204);
      expect((await call(route, used.id, { token: usedToken })).body).toEqual(INVALID);

      const revoked = await createUser(t, a.accessToken);
      const revokedToken = (await issue(revoked.id)).resetPasswordToken;
      const del = await api(t).delete(`/v3/users/${revoked.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(del.status).toBe(204);
      expect((await call(route, revoked.id, { token: revokedToken })).body).toEqual(INVALID);

      const replaced = await createUser(t, a.accessToken);
      const first = (await issue(replaced.id)).resetPasswordToken;
      await issue(replaced.id);
      expect((await call(route, replaced.id, { token: first })).body).toEqual(INVALID);

      const gone = await createUser(t, a.accessToken);
      const goneToken = (await issue(gone.id)).resetPasswordToken;
      expect((await api(t).delete(`/v3/users/${gone.id}`).set(bearer(a.accessToken))).status).toBe(204);
      expect((await call(route, gone.id, { token: goneToken })).body).toEqual(INVALID);
    });
  });

  it('of a cancel and a reset-password racing with one token exactly one succeeds', async () => {
    const outcomes: string[] = [];
    // Staggered starts: the reset hashes its password before its transaction, the cancel does not.
    for (const delayMs of [0, 0, 10, 20, 40, 60, 80, 120]) {
      const user = await createUser(t, a.accessToken);
      const { resetPasswordToken: token } = await issue(user.id);
      const [resetRes, cancelRes] = await Promise.all([
        reset(user.id, token).then((r) => r),
        new Promise((r) => setTimeout(r, delayMs)).then(() => call('cancel', user.id, { token })),
      ]);
      const statuses = [resetRes.status, cancelRes.status].sort();
      expect(statuses).toEqual([204, 400]);
      const loser = resetRes.status === 204 ? cancelRes : resetRes;
      expect(loser.body).toEqual(INVALID);
      const passwordChanged = resetRes.status === 204;
      expect(await canLogin(user.email, NEW_PASSWORD)).toBe(passwordChanged);
      expect(await canLogin(user.email, STRONG_PASSWORD)).toBe(!passwordChanged);
      expect(await events('user.resetPasswordCanceled', user.id)).toHaveLength(passwordChanged ? 0 : 1);
      expect(await events('user.passwordReset', user.id)).toHaveLength(passwordChanged ? 1 : 0);
      outcomes.push(passwordChanged ? 'reset' : 'cancel');
    }
    expect(outcomes).toHaveLength(8);
  });

  describe('{{cancelLink}}', () => {
    const templates = (s: SignedUp) => `/v3/accounts/${s.account.id}/email-templates`;

    it('the built-in reset email carries the hosted cancel link, whose token cancels', async () => {
      const user = await createUser(t, a.accessToken);
      await issue(user.id, a, { send: true });
      const mails = (await mailbox(t)).filter((m) => m.to === user.email);
      const mail = mails[mails.length - 1];
      const match = /(https?:\/\/\S+\/reset-password\/cancel\?\S+)/.exec(mail.text);
      expect(match).not.toBeNull();
      const link = new URL(match![1]);
      expect(`${link.origin}${link.pathname}`).toBe('http://localhost:3000/reset-password/cancel');
      expect(link.searchParams.get('userId')).toBe(user.id);
      const token = new URLSearchParams(link.hash.slice(1)).get('token')!;
      expect(token).toMatch(/^lk_rst_/);
      expect((await call('cancel', user.id, { token })).status).toBe(204);
    });

    it('is allowed in every field of the reset email, and rendered with the token', async () => {
      const c = await signUp(t);
      const put = await api(t)
        .put(`${templates(c)}/${RESET}`)
        .set(bearer(c.accessToken))
        .send({
          subject: 'Reset',
          textBody: 'Reset: {{link}}\nNot you? {{cancelLink}}',
          htmlBody: '<p><a href="{{cancelLink}}">Not me</a></p>',
        });
      expect(put.status).toBe(200);
      const preview = await api(t)
        .post(`${templates(c)}/${RESET}/preview`)
        .set(bearer(c.accessToken))
        .send({});
      expect(preview.status).toBe(200);
      expect(preview.body.text).toMatch(
        /Not you\? http:\/\/localhost:3000\/reset-password\/cancel\?userId=[0-9a-f-]{36}#token=lk_rst_\w+/,
      );
      // HTML-escaped like every value, which a mail client's HTML parser decodes.
      const html = (preview.body.html as string).replace(/&#x([0-9a-f]+);/gi, (_, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
      expect(html).toContain('href="http://localhost:3000/reset-password/cancel?userId=');

      const user = await createUser(t, c.accessToken, { password: undefined });
      await issue(user.id, c, { send: true });
      const [mail] = (await mailbox(t)).filter((m) => m.to === user.email);
      const token = /#token=(lk_rst_\w+)/.exec(mail.text)![1];
      expect(mail.text).toContain(
        `Not you? http://localhost:3000/reset-password/cancel?userId=${user.id}#token=${token}`,
      );
      expect((await call('verify', user.id, { token })).status).toBe(200);
    });

    it('is refused in the password-changed email and in a linkTemplate', async () => {
      const changed = await api(t)
        .put(`${templates(a)}/${CHANGED}`)
        .set(bearer(a.accessToken))
        .send({ subject: 'Changed', textBody: 'Not you? {{cancelLink}}' });
      expect(changed.status).toBe(400);
      expect(changed.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(changed.body.details)).toContain('cancelLink');

      const link = await api(t)
        .put(`${templates(a)}/${RESET}`)
        .set(bearer(a.accessToken))
        .send({
          subject: 'Reset',
          textBody: '{{link}}',
          linkTemplate: 'http://localhost:3000/reset-password?userId={{user.id}}&c={{cancelLink}}#token={{token}}',
        });
      expect(link.status).toBe(400);
      expect(link.body.details[0].field).toBe('linkTemplate');

      const preview = await api(t)
        .post(`${templates(a)}/${CHANGED}/preview`)
        .set(bearer(a.accessToken))
        .send({ textBody: '{{cancelLink}}' });
      expect(preview.status).toBe(400);
    });
  });

  describe('the hosted cancel page', () => {
    it('is served with the reset page headers, and opening it changes nothing', async () => {
      const user = await createUser(t, a.accessToken);
      const { resetPasswordToken: token } = await issue(user.id);
      const res = await api(t).get(`/reset-password/cancel?userId=${user.id}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.text).toContain('<button id="cancel"');
      for (const [, url] of res.text.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url.startsWith('/')).toBe(true);
      expect(res.text).not.toMatch(/<script>(?!<\/script>)/);

      const js = await api(t).get('/reset-password/cancel.js');
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect(js.headers['content-security-policy']).toBe(csp);
      expect(js.text).toContain('/reset-password/cancel');
      const icon = await api(t).get('/reset-password/favicon.svg');
      expect(icon.status).toBe(200);
      expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);

      expect((await call('verify', user.id, { token })).status).toBe(200);
      expect(await events('user.resetPasswordCanceled', user.id)).toEqual([]);
    });
  });
});

/**
 * One failure budget for reset-password, verify and cancel: failed verifies or cancels push
 * reset-password into 429 for that client, while a live token always proceeds on every route.
 */
describe('the reset routes share one failure budget', () => {
  let t: TestApp;
  let a: SignedUp;
  let lastOctet = 0;
  const nextIp = () => `198.51.100.${++lastOctet}`;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'on', OUTBOX_WORKER: 'off' });
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const from = (ip: string, path: string, body: unknown) =>
    api(t)
      .post(path)
      .set('X-Forwarded-For', ip)
      .send(body as object);
  const issue = async (userId: string) =>
    (await api(t).post(`/v3/users/${userId}/reset-password-token`).set(bearer(a.accessToken)).send({})).body
      .resetPasswordToken as string;
  const limit = DEFAULT_RATE_LIMITS.RESET_FAILURES_TARGET_IP.points;

  it.each([
    ['verify', 'reset-password'],
    ['cancel', 'reset-password'],
    ['reset-password', 'verify'],
    ['verify', 'cancel'],
  ])('failed %s calls push %s into 429 for that client; a live token still proceeds', async (spender, victim) => {
    const user = await createUser(t, a.accessToken);
    const ip = nextIp();
    const path = (route: string) =>
      `/v3/users/${user.id}/${route === 'reset-password' ? 'reset-password' : `reset-password/${route}`}`;
    for (let i = 0; i < limit; i++) {
      const res = await from(ip, path(spender), { token: generateToken('rst'), newPassword: NEW_PASSWORD });
      expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    }
    const refused = await from(ip, path(victim), { token: generateToken('rst'), newPassword: NEW_PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address still has its own budget for this user.
    expect((await from(nextIp(), path(victim), { token: generateToken('rst') })).body.code).toBe('RESET_TOKEN_INVALID');

    const token = await issue(user.id);
    const ok = await from(
      ip,
      path(victim),
      victim === 'reset-password' ? { token, newPassword: NEW_PASSWORD } : { token },
    );
    expect(ok.status).toBe(victim === 'verify' ? 200 : 204);
  });

  it('a malformed id or token counts like any other failure', async () => {
    const user = await createUser(t, a.accessToken);
    const ip = nextIp();
    for (let i = 0; i < limit; i++) {
      expect((await from(ip, `/v3/users/${user.id}/reset-password/verify`, { token: 'junk' })).status).toBe(400);
    }
    expect((await from(ip, `/v3/users/${user.id}/reset-password/cancel`, {})).status).toBe(429);
    const token = await issue(user.id);
    expect((await from(ip, `/v3/users/${user.id}/reset-password/verify`, { token })).status).toBe(200);
    expect((await from(ip, `/v3/users/${user.id}/reset-password/cancel`, { token })).status).toBe(204);
  });

  it('a live token checked or cancelled many times costs no budget', async () => {
    const user = await createUser(t, a.accessToken);
    const ip = nextIp();
    const token = await issue(user.id);
    for (let i = 0; i < limit + 5; i++) {
      expect((await from(ip, `/v3/users/${user.id}/reset-password/verify`, { token })).status).toBe(200);
    }
    for (let i = 0; i < limit; i++) {
      expect((await from(ip, `/v3/users/${user.id}/reset-password/verify`, { token: 'x' })).status).toBe(400);
    }
    expect((await from(ip, `/v3/users/${user.id}/reset-password/verify`, { token: 'x' })).status).toBe(429);
    expect((await from(ip, `/v3/users/${user.id}/reset-password/cancel`, { token })).status).toBe(204);
  });
});
