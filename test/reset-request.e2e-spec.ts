import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { OutboxService } from '../src/mail/outbox.service.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { type Mail, mailbox } from './helpers/mailbox.js';
import { bearer, createUser, signUp, type SignedUp } from './helpers/factories.js';

// Argon2id and zxcvbn are slow on a busy machine; these suites boot a real app and database.
jest.setTimeout(30_000);

const NEW_PASSWORD = 'amber comet teacup harbor 9153';

/** The token and user id of the built-in link in a reset email. */
function linkOf(mail: Mail): { userId: string; token: string } {
  const m = /\/reset-password\?userId=([0-9a-f-]{36})#token=(lk_rst_[0-9A-Za-z]+)/.exec(mail.text);
  if (!m) throw new Error(`no reset link in: ${mail.text}`);
  return { userId: m[1], token: m[2] };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

describe('POST /v3/accounts/reset-password-request', () => {
  let t: TestApp;
  let a: SignedUp;
  const request = (body: Record<string, unknown>) => api(t).post('/v3/accounts/reset-password-request').send(body);
  const resetSubject = () => `Reset your ${a.account.name} password`;
  const countRows = async (sql: string, params: unknown[] = []) =>
    Number((await t.app.get(DataSource).query(sql, params))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('answers a known and an unknown email identically, and emails only the known one', async () => {
    const user = await createUser(t, a.accessToken);
    const unknownEmail = `nobody-${user.id.slice(0, 8)}@example.test`;
    const known = await request({ accountAlias: a.account.alias, email: user.email });
    const unknown = await request({ accountAlias: a.account.alias, email: unknownEmail });
    const noAccount = await request({ accountAlias: 'no-such-account', email: user.email });
    for (const res of [known, unknown, noAccount]) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual({});
      expect(res.text).toBe(known.text);
      expect(res.headers['content-type']).toBe(known.headers['content-type']);
      expect(res.headers['content-length']).toBe(known.headers['content-length']);
    }
    const mails = await mailbox(t);
    const toUser = mails.filter((m) => m.to === user.email);
    expect(toUser).toHaveLength(1);
    expect(toUser[0].subject).toBe(resetSubject());
    expect(linkOf(toUser[0]).userId).toBe(user.id);
    expect(mails.filter((m) => m.to === unknownEmail)).toEqual([]);
    const tokens = await countRows(
      `SELECT count(*) AS n FROM reset_tokens t JOIN users u ON u.id = t.user_id WHERE u.email_canonical = $1`,
      [unknownEmail],
    );
    expect(tokens).toBe(0);
  });

  it('does the same work on the request path for known and unknown users: one queued job each', async () => {
    const user = await createUser(t, a.accessToken);
    const jobs = () => countRows(`SELECT count(*) AS n FROM outbox WHERE kind = 'reset-request'`);
    const tokens = () => countRows(`SELECT count(*) AS n FROM reset_tokens`);
    const [jobsBefore, tokensBefore] = [await jobs(), await tokens()];
    await request({ accountAlias: a.account.alias, email: user.email }).expect(202);
    // Nothing about the user is decided on the request path: no token until the outbox runs.
    expect(await jobs()).toBe(jobsBefore + 1);
    expect(await tokens()).toBe(tokensBefore);
    await request({ accountAlias: a.account.alias, email: 'ghost@example.test' }).expect(202);
    expect(await jobs()).toBe(jobsBefore + 2);
    await mailbox(t);
    expect(await tokens()).toBe(tokensBefore + 1);
  });

  it('takes about the same time for known and unknown users', async () => {
    const user = await createUser(t, a.accessToken);
    const time = async (email: string) => {
      const started = performance.now();
      await request({ accountAlias: a.account.alias, email }).expect(202);
      return performance.now() - started;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 15; i++) {
      knownTimes.push(await time(user.email));
      unknownTimes.push(await time(`ghost-${i}@example.test`));
    }
    // An argon2id hash or a token insert would show as tens of milliseconds.
    expect(Math.abs(median(knownTimes) - median(unknownTimes))).toBeLessThan(25);
    await mailbox(t);
  });

  it('issues an email-origin token that resets the password, kills the earlier one, and is audited', async () => {
    const user = await createUser(t, a.accessToken);
    const apiToken = (await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken))).body
      .resetPasswordToken as string;
    // Email and alias match case-insensitively.
    await request({ accountAlias: a.account.alias.toUpperCase(), email: `  ${user.email.toUpperCase()} ` }).expect(202);
    const [mail] = (await mailbox(t)).filter((m) => m.to === user.email && m.subject === resetSubject());
    const { token } = linkOf(mail);

    const listed = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
    expect(listed.body).toEqual([
      {
        id: expect.any(String),
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        origin: 'email',
        createdBy: { type: 'anonymous', id: null },
      },
    ]);
    const reset = (tok: string) =>
      api(t).post(`/v3/users/${user.id}/reset-password`).send({ token: tok, newPassword: NEW_PASSWORD });
    expect((await reset(apiToken)).body.code).toBe('RESET_TOKEN_INVALID');
    expect((await reset(token)).status).toBe(204);

    const events = await api(t).get(`/v3/event-logs?userId=${user.id}&limit=100`).set(bearer(a.accessToken));
    const requested = events.body.find((e: { action: string }) => e.action === 'user.resetPasswordRequested');
    expect(requested).toMatchObject({ actor: { type: 'anonymous', id: null }, targetUserId: user.id });
    const passwordReset = events.body.find((e: { action: string }) => e.action === 'user.passwordReset');
    expect(passwordReset.data).toEqual({ tokenId: listed.body[0].id, origin: 'email' });
    expect(JSON.stringify(events.body)).not.toContain(token);
  });

  it('works for an admin too (only the delegated endpoint is limited to role "user")', async () => {
    await request({ accountAlias: a.account.alias, email: a.user.email }).expect(202);
    const mails = (await mailbox(t)).filter((m) => m.to === a.user.email && m.subject === resetSubject());
    expect(mails).toHaveLength(1);
    expect(linkOf(mails[0]).userId).toBe(a.user.id);
  });

  it('records nothing for an unknown email', async () => {
    const count = async () =>
      Number(
        (await api(t).get('/v3/event-logs?action=user.resetPasswordRequested').set(bearer(a.accessToken))).headers[
          'x-total-count'
        ],
      );
    const before = await count();
    await request({ accountAlias: a.account.alias, email: 'nobody-at-all@example.test' }).expect(202);
    await mailbox(t);
    expect(await count()).toBe(before);
  });

  it('sends the password-changed email after an email-origin reset only when the account asks for it', async () => {
    const user = await createUser(t, a.accessToken);
    const changedSubject = `Your ${a.account.name} password was changed`;
    const resetVia = async () => {
      await request({ accountAlias: a.account.alias, email: user.email }).expect(202);
      const mails = (await mailbox(t)).filter((m) => m.to === user.email && m.subject === resetSubject());
      const { token } = linkOf(mails[mails.length - 1]);
      await api(t).post(`/v3/users/${user.id}/reset-password`).send({ token, newPassword: NEW_PASSWORD }).expect(204);
      return (await mailbox(t)).filter((m) => m.to === user.email && m.subject === changedSubject).length;
    };
    expect(await resetVia()).toBe(1);
    await api(t)
      .patch(`/v3/accounts/${a.account.id}`)
      .set(bearer(a.accessToken))
      .send({ notifyOnPasswordChange: false })
      .expect(200);
    try {
      // Still the one from before: an email-origin reset is silent while notifications are off.
      expect(await resetVia()).toBe(1);
    } finally {
      await api(t)
        .patch(`/v3/accounts/${a.account.id}`)
        .set(bearer(a.accessToken))
        .send({ notifyOnPasswordChange: true })
        .expect(200);
    }
  });

  it('validates its body', async () => {
    for (const body of [
      {},
      { accountAlias: a.account.alias },
      { email: 'x@example.test' },
      { accountAlias: a.account.alias, email: 42 },
      { accountAlias: a.account.alias, email: 'x@example.test', userId: a.user.id },
    ]) {
      const res = await request(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('reset-password-request rate limits', () => {
  let t: TestApp;
  let a: SignedUp;
  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'on',
      OUTBOX_WORKER: 'off',
      RATE_LIMIT_RESET_REQUEST_TARGET: '2/3600',
      RATE_LIMIT_RESET_REQUEST_IP: '7/3600',
    });
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const request = (ip: string, email: string) =>
    api(t)
      .post('/v3/accounts/reset-password-request')
      .set('X-Forwarded-For', ip)
      .send({ accountAlias: a.account.alias, email });

  it('limits known and unknown emails alike, so a 429 tells nothing', async () => {
    const user = await createUser(t, a.accessToken);
    const known = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      known.push(await request('198.51.100.1', user.email));
      unknown.push(await request('198.51.100.2', 'ghost@example.test'));
    }
    expect(known.map((r) => r.status)).toEqual([202, 202, 429]);
    expect(unknown.map((r) => r.status)).toEqual([202, 202, 429]);
    expect(unknown[2].body).toEqual(known[2].body);
    expect(known[2].body.code).toBe('RATE_LIMITED');
    expect(Number(known[2].headers['retry-after'])).toBeGreaterThan(0);
    expect(Math.abs(Number(known[2].headers['retry-after']) - Number(unknown[2].headers['retry-after']))).toBeLessThan(
      5,
    );
    // The limit is per account + email, whatever its case.
    expect((await request('198.51.100.3', user.email.toUpperCase())).status).toBe(429);
    // Two emails were queued for the known user, none for the unknown one.
    const outbox = t.app.get(OutboxService);
    while ((await outbox.drain()) > 0);
    const tokens = await t.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM reset_tokens WHERE user_id = $1`, [user.id]);
    expect(Number(tokens[0].n)).toBe(2);
  });

  it('limits each address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await request('192.0.2.10', `someone-${i}@example.test`)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 202, 429]);
    expect((await request('192.0.2.11', 'someone-0@example.test')).status).toBe(202);
  });
});
