import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { migrations } from '../../migrations/index.js';
import { STRONG_PASSWORD } from '../helpers/factories.js';
import { adminQuery, createScratchDatabase } from '../helpers/pg-cluster.js';
import { SecretLedger } from '../helpers/secrets.js';
import {
  builtServiceMissing,
  call,
  type JsonResponse,
  type ServiceProcess,
  startService,
  waitUntil,
} from '../helpers/service-process.js';

const DATABASE = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;
const missing =
  builtServiceMissing() ??
  (DATABASE ? null : 'TEST_DATABASE_URL is not set') ??
  (REDIS ? null : 'TEST_REDIS_URL is not set');

/** Login failures per account + email + IP before 429, lowered so the test is quick. */
const LOGIN_FAILURE_LIMIT = 6;
const octet = () => Math.floor(Math.random() * 254) + 1;
/**
 * The client address of this run (TRUST_PROXY is on): Redis outlives the run, so limits keyed by
 * address (10 sign-ups an hour, 100 resets in 15 minutes) must not carry over from earlier runs.
 */
const RUN_IP = `198.18.${octet()}.${octet()}`;

/** Concurrent requests in each cross-instance race (the per-user issuance limit is 10 an hour). */
const RACERS = 10;
/** Emails queued at once for the two outbox workers. */
const EMAILS = 45;
/** How long the capture takes per message, so that one worker cannot drain everything alone. */
const SMTP_DELAY_MS = 100;

interface Delivered {
  sender: string;
  to: string;
  text: string;
}

/** An SMTP server that takes SMTP_DELAY_MS per message and records who sent what to whom. */
async function slowSmtp(): Promise<{ url: string; messages: Delivered[]; close(): Promise<void> }> {
  const messages: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          setTimeout(() => {
            messages.push({
              sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address).join(','),
              text: `${mail.text ?? ''}${typeof mail.html === 'string' ? mail.html : ''}`,
            });
            callback();
          }, SMTP_DELAY_MS);
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Two processes of the built service on one fresh PostgreSQL database and one Redis: they start at
 * once against the empty database, share rate limits and credentials, and share the outbox without
 * sending any email twice.
 */
if (missing) process.stdout.write(`test/reliability/multi-instance: skipped, ${missing}\n`);

(missing ? describe.skip : describe)(`two instances${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let db: { url: string; drop(): Promise<void> };
  let smtp: Awaited<ReturnType<typeof slowSmtp>>;
  let A: ServiceProcess;
  let B: ServiceProcess;
  const ledger = new SecretLedger();
  ledger.add(STRONG_PASSWORD);

  /** A request to one instance; every response is shown to the ledger. */
  async function req(
    on: ServiceProcess,
    method: string,
    route: string,
    options: Parameters<typeof call>[3] = {},
  ): Promise<JsonResponse> {
    const res = await call(on, method, route, {
      ...options,
      headers: { 'x-forwarded-for': RUN_IP, ...options.headers },
    });
    ledger.observe({ method, path: route, status: res.status, body: JSON.stringify(res.body) });
    return res;
  }

  async function signUpOn(on: ServiceProcess) {
    const alias = `multi-${randomUUID().slice(0, 8)}`;
    const res = await req(on, 'POST', '/v3/accounts', {
      body: {
        name: 'Multi Instance',
        alias,
        email: `owner@${alias}.test`,
        password: STRONG_PASSWORD,
        firstName: 'Mia',
        lastName: 'Multi',
      },
    });
    expect(res.status).toBe(201);
    return { alias, email: `owner@${alias}.test`, session: res.body.accessToken as string };
  }

  async function createUserOn(on: ServiceProcess, session: string) {
    const email = `user-${randomUUID().slice(0, 8)}@example.test`;
    const res = await req(on, 'POST', '/v3/users', {
      token: session,
      body: { email, firstName: 'Uma', lastName: 'User', password: STRONG_PASSWORD },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email };
  }

  beforeAll(async () => {
    db = await createScratchDatabase(DATABASE!);
    smtp = await slowSmtp();
    const env = (name: string) => ({
      DATABASE_URL: db.url,
      REDIS_URL: REDIS!,
      SMTP_URL: smtp.url,
      MAIL_FROM: `Latchkey <${name}@instances.test>`,
      // One key for both, as README asks: each opens the emails the other queued (sealed in the outbox).
      SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
      TRUST_PROXY: 'on',
      OUTBOX_POLL_MS: '50',
      RATE_LIMIT_LOGIN_FAILURES_TARGET_IP: `${LOGIN_FAILURE_LIMIT}/900`,
    });
    // Both at once, against the empty database: the migration lock makes them take turns.
    [A, B] = await Promise.all([
      startService({ name: 'A', env: env('a'), waitReady: true }),
      startService({ name: 'B', env: env('b'), waitReady: true }),
    ]);
  }, 180_000);

  afterAll(async () => {
    const exits = await Promise.all([A?.stop(), B?.stop()]);
    await smtp?.close();
    await db?.drop();
    if (A && B) {
      expect(exits.map((e) => e?.code)).toEqual([0, 0]);
      const logs = [...A.output, ...B.output];
      expect(ledger.leaks({ logs })).toEqual([]);
    }
  }, 60_000);

  it('both became ready on one empty database, which was migrated exactly once', async () => {
    const rows = await adminQuery<{ name: string; n: string }>(
      db.url,
      `SELECT name, count(*) AS n FROM migrations GROUP BY name ORDER BY name`,
    );
    expect(rows.map((r) => Number(r.n))).toEqual(migrations.map(() => 1));
    expect(rows.map((r) => r.name).sort()).toEqual(migrations.map((m) => m.name).sort());
    expect((await call(A, 'GET', '/health/ready')).status).toBe(200);
    expect((await call(B, 'GET', '/health/ready')).status).toBe(200);
  });

  it(`share login failure limits through Redis: alternating instances, 429 after ${LOGIN_FAILURE_LIMIT} in all`, async () => {
    const acc = await signUpOn(A);
    const ip = `198.19.${octet()}.${octet()}`;
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_FAILURE_LIMIT + 4; i++) {
      const res = await req(i % 2 ? B : A, 'POST', '/v3/accounts/login', {
        headers: { 'x-forwarded-for': ip },
        body: { accountAlias: acc.alias, email: acc.email, password: `wrong guess ${i} of several` },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Each instance alone saw only half the failures: a 429 on both proves one shared count.
    expect(statuses).toEqual([...Array(LOGIN_FAILURE_LIMIT).fill(401), 429, 429, 429, 429]);
    const other = await req(B, 'POST', '/v3/accounts/login', {
      headers: { 'x-forwarded-for': `198.19.${octet()}.${octet()}` },
      body: { accountAlias: acc.alias, email: acc.email, password: STRONG_PASSWORD },
    });
    expect(other.status).toBe(200);
  }, 60_000);

  it('a reset token consumed on one instance is rejected on the other; a session ended on one is dead on both', async () => {
    const acc = await signUpOn(A);
    const user = await createUserOn(B, acc.session);
    const issued = await req(B, 'POST', `/v3/users/${user.id}/reset-password-token`, { token: acc.session, body: {} });
    expect(issued.status).toBe(201);
    const token = issued.body.resetPasswordToken as string;
    const newPassword = 'granite heron lullaby 6630 fjord';
    ledger.add(newPassword);
    expect((await req(A, 'POST', `/v3/users/${user.id}/reset-password`, { body: { token, newPassword } })).status).toBe(
      204,
    );
    const again = await req(B, 'POST', `/v3/users/${user.id}/reset-password`, { body: { token, newPassword } });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('RESET_TOKEN_INVALID');

    const session = await req(A, 'POST', '/v3/accounts/login', {
      body: { accountAlias: acc.alias, email: user.email, password: newPassword },
    });
    expect(session.status).toBe(200);
    const mine = session.body.accessToken as string;
    expect((await req(B, 'GET', `/v3/users/${user.id}`, { token: mine })).status).toBe(200);
    expect((await req(B, 'POST', '/v3/accounts/logout', { token: mine })).status).toBe(204);
    expect((await req(A, 'GET', `/v3/users/${user.id}`, { token: mine })).status).toBe(401);
  }, 60_000);

  it(`of ${RACERS} concurrent consumptions of one token, spread over both instances, exactly one succeeds`, async () => {
    const acc = await signUpOn(A);
    const user = await createUserOn(A, acc.session);
    const issued = await req(A, 'POST', `/v3/users/${user.id}/reset-password-token`, { token: acc.session, body: {} });
    const token = issued.body.resetPasswordToken as string;
    const passwords = Array.from({ length: RACERS }, (_, i) => `basalt osprey quiver ${5100 + i} tundra`);
    ledger.add(...passwords);
    const results = await Promise.all(
      passwords.map((newPassword, i) =>
        req(i % 2 ? B : A, 'POST', `/v3/users/${user.id}/reset-password`, { body: { token, newPassword } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((st) => st === 204)).toHaveLength(1);
    expect(statuses.filter((st) => st === 400)).toHaveLength(RACERS - 1);
    const winner = passwords[statuses.indexOf(204)];
    const login = await req(B, 'POST', '/v3/accounts/login', {
      body: { accountAlias: acc.alias, email: user.email, password: winner },
    });
    expect(login.status).toBe(200);
  }, 60_000);

  it(`${RACERS} concurrent issuances for one user over both instances leave one live token`, async () => {
    const acc = await signUpOn(B);
    const user = await createUserOn(B, acc.session);
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        req(i % 2 ? B : A, 'POST', `/v3/users/${user.id}/reset-password-token`, { token: acc.session, body: {} }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(RACERS).fill(201));
    const live = await adminQuery<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM reset_tokens WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [user.id],
    );
    expect(Number(live[0].n)).toBe(1);
    const outstanding = await req(A, 'GET', `/v3/users/${user.id}/reset-password-tokens`, { token: acc.session });
    expect(outstanding.body).toHaveLength(1);
  }, 60_000);

  it(`both outbox workers deliver ${EMAILS} emails queued on both instances, each exactly once`, async () => {
    const acc = await signUpOn(A);
    const users = await Promise.all(
      Array.from({ length: EMAILS / 3 }, (_, i) => createUserOn(i % 2 ? B : A, acc.session)),
    );
    const tokens: string[] = [];
    // Three issuances per user (the per-user limit is 10 an hour), queued through both instances.
    for (let round = 0; round < 3; round++) {
      const issued = await Promise.all(
        users.map((u, i) =>
          req((i + round) % 2 ? B : A, 'POST', `/v3/users/${u.id}/reset-password-token`, {
            token: acc.session,
            body: { send: true },
          }),
        ),
      );
      for (const r of issued) {
        expect(r.status).toBe(201);
        tokens.push(r.body.resetPasswordToken as string);
      }
    }
    const ours = () => smtp.messages.filter((m) => users.some((u) => u.email === m.to));
    await waitUntil(async () => ours().length >= EMAILS, 60_000);
    // Long enough for a second, duplicate delivery to show up if there were one.
    await new Promise((r) => setTimeout(r, 1500));
    const delivered = ours();
    expect(delivered).toHaveLength(EMAILS);
    const tokenIn = (text: string) => /lk_rst_[0-9A-Za-z]{49}/.exec(text)?.[0];
    expect(delivered.map((m) => tokenIn(m.text)).sort()).toEqual([...tokens].sort());
    for (const u of users) expect(delivered.filter((m) => m.to === u.email)).toHaveLength(3);
    const senders = new Set(delivered.map((m) => m.sender));
    expect([...senders].sort()).toEqual(['a@instances.test', 'b@instances.test']);
    const counts = [...senders].map((s) => `${s}: ${delivered.filter((m) => m.sender === s).length}`);
    process.stdout.write(`multi-instance outbox: ${EMAILS} emails, delivered by ${counts.join(', ')}\n`);
    const rows = await adminQuery<{ status: string; attempts: number; n: string }>(
      db.url,
      `SELECT status, attempts, count(*) AS n FROM outbox WHERE kind = 'email' GROUP BY status, attempts`,
    );
    expect(rows.map((r) => ({ status: r.status, attempts: Number(r.attempts) }))).toEqual([
      { status: 'done', attempts: 1 },
    ]);
  }, 120_000);
});
