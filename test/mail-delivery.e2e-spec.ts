import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simpleParser } from 'mailparser';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { Account } from '../src/accounts/account.entity.js';
import { SecretBox } from '../src/common/secret-box.js';
import { AppConfig } from '../src/config/app-config.js';
import { MailTransport, type OutgoingEmail } from '../src/mail/mail-transport.js';
import { MailService } from '../src/mail/mail.service.js';
import { OutboxService } from '../src/mail/outbox.service.js';
import { User } from '../src/users/user.entity.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createUser, signUp, type SignedUp } from './helpers/factories.js';
import { freePort } from './helpers/ports.js';
import { SmtpCapture } from './helpers/smtp-capture.js';

const RESET = 'user.reset-password-request';
const PORTAL_HOST = 'portal.acme.test';
const TOKEN = 'lk_rst_DeliveryTestToken0000000000000000';

interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  processed_at: Date | null;
  payload: Record<string, unknown>;
}

/** Records what it was asked to send; optionally fails every time. */
class RecordingTransport extends MailTransport {
  readonly sent: string[] = [];
  constructor(private readonly failWith?: string) {
    super();
  }
  async send(_email: OutgoingEmail, outboxId: string): Promise<void> {
    if (this.failWith) throw new Error(this.failWith);
    this.sent.push(outboxId);
    // Yield, so that two workers interleave.
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** What the mail tests need from one booted app. */
function harness(t: TestApp) {
  const dataSource = t.app.get(DataSource);
  const mail = t.app.get(MailService);
  const outbox = t.app.get(OutboxService);
  const box = t.app.get(SecretBox);
  return {
    dataSource,
    mail,
    outbox,
    box,
    async account(s: SignedUp): Promise<Account> {
      return dataSource.getRepository(Account).findOneByOrFail({ id: s.account.id });
    },
    async user(s: SignedUp, firstName = 'Uma'): Promise<User> {
      const created = await createUser(t, s.accessToken);
      // Set directly: the users API is free to refuse markup in names; the renderer must cope either way.
      await dataSource.query(`UPDATE users SET first_name = $2 WHERE id = $1`, [created.id, firstName]);
      return dataSource.getRepository(User).findOneByOrFail({ id: created.id });
    },
    queueReset(account: Account, user: User, token = TOKEN): Promise<string> {
      const expiresAt = new Date(t.clock.now().getTime() + 3600_000);
      return dataSource.transaction((m) => mail.enqueue({ event: RESET, account, user, token, expiresAt }, m));
    },
    /** `count` small emails queued for the account, due now; their row ids. */
    async queueEmails(count: number, owner: SignedUp): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const payload = { to: `r${i}@example.test`, subject: 's', text: 't' };
        ids.push(await outbox.enqueue('email', payload, owner.account.id, dataSource.manager));
      }
      return ids;
    },
    async row(id: string): Promise<OutboxRow> {
      const [row] = await dataSource.query(`SELECT * FROM outbox WHERE id = $1`, [id]);
      return row as OutboxRow;
    },
    async clear(): Promise<void> {
      await dataSource.query(`DELETE FROM outbox`);
    },
  };
}

describe('mail delivery over SMTP', () => {
  let t: TestApp;
  let h: ReturnType<typeof harness>;
  let port: number;
  let capture: SmtpCapture | undefined;
  let s: SignedUp;
  let account: Account;

  beforeAll(async () => {
    port = await freePort();
    t = await createTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Latchkey <no-reply@latchkey.test>',
      OUTBOX_WORKER: 'off',
    });
    h = harness(t);
    // Against a shared PostgreSQL database, rows other suites queued must not be counted here.
    await h.clear();
    s = await signUp(t, { name: 'Acme Widgets' });
    const patch = await api(t)
      .patch(`/v3/accounts/${s.account.id}`)
      .set(bearer(s.accessToken))
      .send({ allowedRedirectHosts: [PORTAL_HOST] });
    expect(patch.status).toBe(200);
    const put = await api(t)
      .put(`/v3/accounts/${s.account.id}/email-templates/${RESET}`)
      .set(bearer(s.accessToken))
      .send({
        subject: 'Reset for {{user.firstName}}',
        htmlBody: '<p>Hi {{user.firstName}}</p><a href="{{link}}">reset</a>',
        textBody: 'Hi {{user.firstName}}, open {{link}}',
        fromName: 'Acme Support',
        replyTo: 'help@acme.test',
        linkTemplate: `https://${PORTAL_HOST}/reset?u={{user.id}}#t={{token}}`,
      });
    expect(put.status).toBe(200);
    account = await h.account(s);
  }, 120_000);

  afterAll(async () => {
    await capture?.close();
    // Against a shared PostgreSQL database, leave nothing for the next suite's worker.
    await h?.clear();
    await t?.close();
  });

  let pendingId: string;

  it('keeps a message pending, with the error and the attempt, while the SMTP server is down', async () => {
    pendingId = await h.queueReset(account, await h.user(s));
    await h.outbox.drain();
    const row = await h.row(pendingId);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(row.last_error).not.toContain(TOKEN);
    expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(t.clock.now().getTime());
    // Sealed (SECURITY.md S3): the token is not in the database while the message waits.
    expect(JSON.stringify(row.payload)).not.toContain(TOKEN);
    expect(row.payload.sealed).toEqual(expect.any(String));

    // Not due again yet: a second drain leaves it alone.
    await h.outbox.drain();
    expect((await h.row(pendingId)).attempts).toBe(1);
  });

  it('delivers it exactly once when the server comes up', async () => {
    capture = await SmtpCapture.start(port);
    t.clock.advance(3600);
    await h.outbox.drain();
    await h.outbox.drain();
    expect(capture.messages).toHaveLength(1);
    // Named by its outbox row: a message sent again after a crash is recognisably the same one.
    expect(capture.messages[0].messageId).toBe(`<${pendingId}@latchkey.test>`);
    const row = await h.row(pendingId);
    expect(row.status).toBe('done');
    expect(row.attempts).toBe(2);
    expect(row.processed_at).not.toBeNull();
    expect(row.last_error).toBeNull();
    // The sent body held a live token: only the envelope data stays.
    expect(row.payload).not.toHaveProperty('html');
    expect(row.payload).not.toHaveProperty('text');
    expect(row.payload).not.toHaveProperty('subject');
    expect(row.payload).not.toHaveProperty('sealed');
    expect(row.payload).toMatchObject({ event: RESET, to: expect.any(String) });
  });

  it('delivers the rendered message: subject, escaped HTML, link, sender', async () => {
    const user = await h.user(s, '<b>x</b>');
    await h.queueReset(account, user);
    await h.outbox.drain();
    const [msg] = capture!.to(user.email);
    expect(msg).toBeDefined();
    expect(msg.subject).toBe('Reset for <b>x</b>');
    expect(msg.html).toContain('<p>Hi &lt;b&gt;x&lt;&#x2F;b&gt;</p>');
    expect(msg.html).not.toContain('<b>x</b>');
    const link = /open (\S+)/.exec(msg.text ?? '')?.[1];
    expect(link).toBe(`https://${PORTAL_HOST}/reset?u=${user.id}#t=${TOKEN}`);
    expect(new URL(link!).host).toBe(PORTAL_HOST);
    expect(msg.text).toContain('Hi <b>x</b>');
    expect(msg.from?.value[0]).toMatchObject({ name: 'Acme Support', address: 'no-reply@latchkey.test' });
    expect(msg.replyTo?.value[0].address).toBe('help@acme.test');
    expect(msg.to).toMatchObject({ value: [{ address: user.email }] });
  });

  it('claims a row again once the lease of a worker that died with it runs out', async () => {
    await h.clear();
    const id = await h.queueReset(account, await h.user(s));
    // What a claim leaves behind when its process is killed before it sends.
    await h.dataSource.query(`UPDATE outbox SET attempts = 1, next_attempt_at = $2 WHERE id = $1`, [
      id,
      new Date(t.clock.now().getTime() + 60_000),
    ]);
    const before = capture!.messages.length;
    await h.outbox.drain();
    expect(capture!.messages.length).toBe(before);
    t.clock.advance(61);
    await h.outbox.drain();
    expect(capture!.messages.length).toBe(before + 1);
    expect((await h.row(id)).status).toBe('done');
  });

  it('two outbox workers draining at once never send a row twice', async () => {
    await h.clear();
    const ids = await h.queueEmails(60, s);
    const first = new RecordingTransport();
    const second = new RecordingTransport();
    const one = new OutboxService(h.dataSource, t.config, t.clock, first, h.box);
    const two = new OutboxService(h.dataSource, t.config, t.clock, second, h.box);
    await Promise.all([one.drain(), two.drain(), one.drain(), two.drain()]);
    // Both took part, and together they sent every row once.
    expect(first.sent.length).toBeGreaterThan(0);
    expect(second.sent.length).toBeGreaterThan(0);
    expect([...first.sent, ...second.sent].sort()).toEqual([...ids].sort());
    const statuses = await h.dataSource.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
    expect(statuses).toEqual([{ status: 'done', n: ids.length }]);
  });

  it('a slow SMTP server cannot make a batch outlive its lease: another worker never sends its later rows again', async () => {
    await h.clear();
    const ids = await h.queueEmails(20, s);
    const fast = new RecordingTransport();
    const other = new OutboxService(h.dataSource, t.config, t.clock, fast, h.box);
    // Each send takes 6 s, under the 10 s timeouts: the batch of 20 needs two minutes, twice the lease. Once the
    // first claim's lease has run out, the other worker drains too.
    const sent: string[] = [];
    const slow = new (class extends MailTransport {
      async send(_email: OutgoingEmail, outboxId: string): Promise<void> {
        sent.push(outboxId);
        t.clock.advance(6);
        if (sent.length === 11) await other.drain();
      }
    })();
    await new OutboxService(h.dataSource, t.config, t.clock, slow, h.box).drain();
    await other.drain();
    const all = [...sent, ...fast.sent];
    expect(all.length).toBe(ids.length);
    expect([...all].sort()).toEqual([...ids].sort());
    const statuses = await h.dataSource.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
    expect(statuses).toEqual([{ status: 'done', n: ids.length }]);
  });

  it('runs a registered handler in one transaction with its row, emails included', async () => {
    await h.clear();
    const user = await h.user(s);
    const worker = new OutboxService(h.dataSource, t.config, t.clock, new RecordingTransport(), h.box);
    worker.registerHandler('reset-request', async (payload, m) => {
      await h.mail.enqueue({ event: 'user.password-changed', account, user }, m);
      if (payload.fail) throw new Error(`handler failed for ${TOKEN}`);
    });
    const ok = await h.dataSource.transaction((m) => worker.enqueue('reset-request', { n: 1 }, null, m));
    const failing = await h.dataSource.transaction((m) =>
      worker.enqueue('reset-request', { fail: true }, s.account.id, m),
    );
    await worker.drain();

    expect((await h.row(ok)).status).toBe('done');
    const failed = await h.row(failing);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toContain('handler failed');
    expect(failed.last_error).not.toContain(TOKEN);
    // One email, queued by the handler that succeeded and sent in the same drain; the failing one's was rolled back.
    const emails = await h.dataSource.query(`SELECT status FROM outbox WHERE kind = 'email'`);
    expect(emails).toEqual([{ status: 'done' }]);
    expect(() => worker.registerHandler('reset-request', async () => undefined)).toThrow(/already registered/);
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS and wipes the rendered message', async () => {
    await h.clear();
    const config = new AppConfig({ DATA_DIR: t.dataDir, OUTBOX_MAX_ATTEMPTS: '2' });
    const worker = new OutboxService(h.dataSource, config, t.clock, new RecordingTransport(`550 no ${TOKEN}`), h.box);
    const id = await h.queueReset(account, await h.user(s));
    await worker.drain();
    expect(await h.row(id)).toMatchObject({ status: 'pending', attempts: 1 });
    t.clock.advance(3600);
    await worker.drain();
    const row = await h.row(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row.last_error).toContain('550');
    expect(row.last_error).not.toContain(TOKEN);
    expect(JSON.stringify(row.payload)).not.toContain(TOKEN);
    t.clock.advance(86_400);
    await worker.drain();
    expect((await h.row(id)).attempts).toBe(2);
  });

  it('never logged a token', () => {
    expect(t.logs.lines.some((l) => l.includes('attempt 1 failed'))).toBe(true);
    expect(t.logs.lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('mail delivery without SMTP_URL', () => {
  let t: TestApp;
  let h: ReturnType<typeof harness>;

  beforeAll(async () => {
    // The worker is on: nothing here calls drain().
    t = await createTestApp({ OUTBOX_POLL_MS: '50' });
    h = harness(t);
  }, 120_000);
  afterAll(async () => {
    await h?.clear();
    await t?.close();
  });

  it('the worker writes each message as <timestamp>-<outbox id>.eml under DATA_DIR/mail', async () => {
    const s = await signUp(t, { name: 'Files Inc' });
    const account = await h.account(s);
    const user = await h.user(s);
    const id = await h.queueReset(account, user);
    const dir = path.join(t.dataDir, 'mail');
    const deadline = Date.now() + 15_000;
    let row = await h.row(id);
    while (row.status !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      row = await h.row(id);
    }
    expect(row.status).toBe('done');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(`-${id}.eml`));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{9}Z-[0-9a-f-]{36}\.eml$/);
    expect(fs.statSync(path.join(dir, files[0])).mode & 0o077).toBe(0);
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, files[0])));
    expect(parsed.subject).toBe('Reset your Files Inc password');
    expect(parsed.to).toMatchObject({ value: [{ address: user.email }] });
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Files Inc' });
    expect(parsed.text).toContain(`http://localhost:3000/reset-password?userId=${user.id}#token=${TOKEN}`);
  });
});
