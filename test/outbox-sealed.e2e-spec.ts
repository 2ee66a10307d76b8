import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../src/common/secret-box.js';
import { AppConfig } from '../src/config/app-config.js';
import { OutboxService } from '../src/mail/outbox.service.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, signUp, type SignedUp } from './helpers/factories.js';
import { mailbox } from './helpers/mailbox.js';
import { freePort } from './helpers/ports.js';
import { SmtpCapture } from './helpers/smtp-capture.js';

// Argon2id and zxcvbn are slow on a busy machine; these suites boot a real app and database.
jest.setTimeout(30_000);

const NEW_PASSWORD = 'amber comet teacup harbor 9153';

interface StoredRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  to: string | null;
  /** The payload as the database holds it: what a reader of the database, a replica or a backup sees. */
  stored: string;
  payload: Record<string, unknown>;
}

/** The built-in reset link in an email's text: its user id and token. */
function linkIn(text: string | undefined): { userId: string; token: string } {
  const m = /\/reset-password\?userId=([0-9a-f-]{36})#token=(lk_rst_[0-9A-Za-z]+)/.exec(text ?? '');
  if (!m) throw new Error(`no reset link in: ${text}`);
  return { userId: m[1], token: m[2] };
}

/** The account's email rows, as stored. */
async function emailRows(t: TestApp, accountId: string): Promise<StoredRow[]> {
  return t.app.get(DataSource).query(
    `SELECT id, status, attempts, last_error, payload->>'to' AS "to", payload::text AS stored, payload
         FROM outbox WHERE account_id = $1 AND kind = 'email' ORDER BY created_at, id`,
    [accountId],
  );
}

const verify = (t: TestApp, userId: string, token: string) =>
  api(t).post(`/v3/users/${userId}/reset-password/verify`).send({ token });

/** Every stored reset email holds neither a token nor the link that carries it (S3). */
function expectSealed(row: StoredRow, ...secrets: string[]): void {
  expect(row.stored).not.toContain('lk_rst_');
  expect(row.stored).not.toContain('/reset-password?');
  for (const secret of secrets) expect(row.stored).not.toContain(secret);
  expect(row.payload).toEqual({ event: 'user.reset-password-request', to: row.to, sealed: expect.any(String) });
  expect(row.payload.sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
}

describe('reset emails are sealed in the outbox while the SMTP server is down (S3)', () => {
  let t: TestApp;
  let port: number;
  let capture: SmtpCapture | undefined;
  let s: SignedUp;
  let issuer: { token: string };
  let user: { id: string; email: string };
  let issuedToken: string;
  let issuedLink: string;

  beforeAll(async () => {
    port = await freePort();
    t = await createTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Latchkey <no-reply@latchkey.test>',
      OUTBOX_WORKER: 'off',
    });
    s = await signUp(t, { name: 'Sealed Corp' });
    issuer = await createPat(t, s.accessToken, ['user:resetPasswordToken', 'user:read']);
    user = await createUser(t, s.accessToken);
  }, 120_000);

  afterAll(async () => {
    await capture?.close();
    // Against a shared PostgreSQL database, leave nothing for the next suite's worker.
    await t?.app.get(DataSource).query(`DELETE FROM outbox WHERE account_id = $1`, [s?.account.id]);
    await t?.close();
  });

  it('stores no token or link of an admin reset request or a `send: true` issuance, however long it waits', async () => {
    await api(t)
      .post('/v3/accounts/reset-password-request')
      .send({ accountAlias: s.account.alias, email: s.user.email })
      .expect(202);
    const issued = await api(t)
      .post(`/v3/users/${user.id}/reset-password-token`)
      .set(bearer(issuer.token))
      .send({ send: true });
    expect(issued.status).toBe(201);
    issuedToken = issued.body.resetPasswordToken;
    issuedLink = issued.body.link;

    // The request's job runs and queues the admin's email; both emails fail to go out and stay pending.
    await t.app.get(OutboxService).drain();
    const rows = await emailRows(t, s.account.id);
    expect(rows.map((r) => r.to).sort()).toEqual([s.user.email, user.email].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expectSealed(row, issuedToken, issuedLink);
    }
    // The job row of the request holds no token either. Only this suite's row: on a shared database
    // another suite's hostile input (an alias of `lk_rst_`) may sit beside it.
    const jobs: { stored: string }[] = await t.app
      .get(DataSource)
      .query(
        `SELECT payload::text AS stored FROM outbox WHERE kind = 'reset-request' AND payload->>'accountAlias' = $1`,
        [s.account.alias],
      );
    expect(jobs).toHaveLength(1);
    for (const job of jobs) expect(job.stored).not.toContain('lk_rst_');
  });

  it('sends them with working links once the server is up, then keeps only the envelope', async () => {
    capture = await SmtpCapture.start(port);
    t.clock.advance(15);
    await t.app.get(OutboxService).drain();

    const [toAdmin] = capture.to(s.user.email);
    const admin = linkIn(toAdmin?.text);
    expect(admin.userId).toBe(s.user.id);
    expect((await verify(t, admin.userId, admin.token)).status).toBe(200);

    const [toUser] = capture.to(user.email);
    expect(toUser?.text).toContain(issuedLink);
    expect(linkIn(toUser?.text)).toEqual({ userId: user.id, token: issuedToken });
    expect((await verify(t, user.id, issuedToken)).status).toBe(200);

    for (const row of await emailRows(t, s.account.id)) {
      expect(row.status).toBe('done');
      expect(row.payload).toEqual({ event: 'user.reset-password-request', to: row.to });
    }
  });
});

describe('sealed outbox emails, written as .eml files (S3)', () => {
  let t: TestApp;
  let s: SignedUp;
  let issuer: { token: string };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    s = await signUp(t, { name: 'Sealed Files' });
    issuer = await createPat(t, s.accessToken, ['user:resetPasswordToken', 'user:read']);
  }, 120_000);

  afterAll(async () => {
    await t?.app.get(DataSource).query(`DELETE FROM outbox WHERE account_id = $1`, [s?.account.id]);
    await t?.close();
  });

  /** Inserts an email row with this payload, due now, as another writer would. */
  async function insertEmail(id: string, payload: Record<string, unknown>): Promise<void> {
    await t.app.get(DataSource).query(
      `INSERT INTO outbox (id, kind, payload, account_id, status, attempts, next_attempt_at, created_at)
         VALUES ($1, 'email', $2, $3, 'pending', 0, $4, $4)`,
      [id, payload, s.account.id, t.clock.now()],
    );
  }

  it('a `send: true` issuance is stored sealed, and the email sent carries a link that resets the password', async () => {
    const user = await createUser(t, s.accessToken);
    const issued = await api(t)
      .post(`/v3/users/${user.id}/reset-password-token`)
      .set(bearer(issuer.token))
      .send({ send: true });
    expect(issued.status).toBe(201);
    const [row] = (await emailRows(t, s.account.id)).filter((r) => r.to === user.email);
    expectSealed(row, issued.body.resetPasswordToken, issued.body.link);

    const [mail] = (await mailbox(t)).filter((m) => m.to === user.email);
    expect(mail.text).toContain(issued.body.link);
    const { token } = linkIn(mail.text);
    const reset = await api(t).post(`/v3/users/${user.id}/reset-password`).send({ token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(204);
  });

  it('still sends a row queued in the plain format before the upgrade', async () => {
    const id = randomUUID();
    const to = `plain-${id.slice(0, 8)}@example.test`;
    await insertEmail(id, {
      event: 'user.password-changed',
      to,
      subject: 'Queued before the upgrade',
      html: null,
      text: 'Your password was changed.',
      fromName: 'Sealed Files',
      replyTo: null,
    });
    const [mail] = (await mailbox(t)).filter((m) => m.to === to);
    expect(mail.subject).toBe('Queued before the upgrade');
    expect(mail.text).toContain('Your password was changed.');
    const [row] = (await emailRows(t, s.account.id)).filter((r) => r.id === id);
    expect(row.status).toBe('done');
    expect(row.payload).toEqual({ event: 'user.password-changed', to, fromName: 'Sealed Files', replyTo: null });
  });

  it('counts a row sealed under another SECRETS_KEY as a failed attempt, with a warning, and sends the others', async () => {
    const foreignKey = new SecretBox(
      new AppConfig({ DATA_DIR: t.dataDir, SECRETS_KEY: randomBytes(32).toString('base64') }),
    );
    const id = randomUUID();
    const to = `foreign-${id.slice(0, 8)}@example.test`;
    const message = { to, subject: 'Reset', html: null, text: 'lk_rst_NotOpenedHere', fromName: 'X', replyTo: null };
    await insertEmail(id, {
      event: 'user.reset-password-request',
      to,
      sealed: foreignKey.seal(JSON.stringify(message), `outbox:${id}`),
    });
    const user = await createUser(t, s.accessToken);
    await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(issuer.token)).send({ send: true });

    const mails = await mailbox(t);
    expect(mails.filter((m) => m.to === to)).toEqual([]);
    expect(mails.filter((m) => m.to === user.email)).toHaveLength(1);
    const [row] = (await emailRows(t, s.account.id)).filter((r) => r.id === id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/SECRETS_KEY/);
    expect(row.last_error).not.toContain('lk_rst_');
    expect(row.last_error).not.toContain(String(row.payload.sealed));
    const warning = t.logs.lines.find((l) => l.startsWith('warn') && l.includes(id));
    expect(warning).toMatch(/SECRETS_KEY/);
    expect(t.logs.lines.join('\n')).not.toContain('lk_rst_');
  });
});
