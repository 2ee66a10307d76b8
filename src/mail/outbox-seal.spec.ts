import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SystemClock } from '../common/clock.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { MailTransport, type OutgoingEmail } from './mail-transport.js';
import { openEmail, sealEmail, UnsealableEmailError } from './outbox-seal.js';
import { OutboxService } from './outbox.service.js';

const TOKEN = 'lk_rst_SealTestToken0000000000000000000';
const configWith = (key: Buffer) => new AppConfig({ SECRETS_KEY: key.toString('base64') });
const boxWith = (key = randomBytes(32)) => new SecretBox(configWith(key));

const EMAIL = {
  event: 'user.reset-password-request',
  to: 'uma@example.test',
  subject: `Reset ${TOKEN}`,
  html: `<a href="https://portal.test/reset#t=${TOKEN}">reset</a>`,
  text: `open https://portal.test/reset#t=${TOKEN}`,
  fromName: 'Acme',
  replyTo: null,
};

describe('sealEmail / openEmail', () => {
  it('stores the event and the recipient in clear and nothing of the message', () => {
    const box = boxWith();
    const id = randomUUID();
    const stored = sealEmail(box, id, EMAIL);
    expect(stored).toEqual({ event: EMAIL.event, to: EMAIL.to, sealed: expect.stringMatching(/^v1\./) });
    expect(JSON.stringify(stored)).not.toContain('lk_rst_');
    expect(JSON.stringify(stored)).not.toContain('portal.test');
    expect(openEmail(box, id, { ...stored })).toEqual(EMAIL);
  });

  it('opens a row queued in the plain format before sealing as it is', () => {
    const plain = { ...EMAIL };
    expect(openEmail(boxWith(), randomUUID(), plain)).toBe(plain);
  });

  it('refuses a row sealed under another key, or copied from another row, with an error that names no secret', () => {
    const id = randomUUID();
    const stored = { ...sealEmail(boxWith(), id, EMAIL) };
    const other = () => openEmail(boxWith(), id, stored);
    expect(other).toThrow(UnsealableEmailError);
    expect(other).toThrow(/SECRETS_KEY/);
    try {
      other();
    } catch (err) {
      expect((err as Error).message).not.toContain(stored.sealed);
      expect((err as Error).message).not.toContain('lk_rst_');
    }
    const key = randomBytes(32);
    const copied = sealEmail(boxWith(key), randomUUID(), EMAIL);
    expect(() => openEmail(boxWith(key), id, { ...copied })).toThrow(UnsealableEmailError);
    expect(() => openEmail(boxWith(key), id, { ...copied, sealed: 42 })).toThrow(UnsealableEmailError);
  });

  it('sends to the sealed recipient, whatever the clear one says', () => {
    const box = boxWith();
    const id = randomUUID();
    const stored = { ...sealEmail(box, id, EMAIL), to: 'attacker@example.test' };
    expect(openEmail(box, id, stored).to).toBe(EMAIL.to);
  });
});

/** A data source that hands the worker `rows` in one claim and records the statements that complete them. */
function fakeDataSource(rows: { id: string; payload: Record<string, unknown> }[]) {
  const updates: { sql: string; params: unknown[] }[] = [];
  let claimed = false;
  const query = async (sql: string, params: unknown[] = []): Promise<unknown> => {
    if (sql.includes('SET attempts = attempts + 1')) {
      if (claimed) return [[], 0];
      claimed = true;
      return [rows.map((r) => ({ ...r, kind: 'email', attempts: 1 })), rows.length];
    }
    updates.push({ sql, params });
    return [[], 1];
  };
  return { dataSource: { manager: { query } } as unknown as DataSource, updates };
}

class RecordingTransport extends MailTransport {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail): Promise<void> {
    this.sent.push(email);
  }
}

describe('the outbox worker and sealed emails', () => {
  it('counts a row it cannot open as a failed attempt, with a warning, and still sends the plain and sealed ones', async () => {
    const key = randomBytes(32);
    const [foreign, sealed, plain] = [randomUUID(), randomUUID(), randomUUID()];
    const { dataSource, updates } = fakeDataSource([
      { id: foreign, payload: { ...sealEmail(boxWith(), foreign, EMAIL) } },
      { id: sealed, payload: { ...sealEmail(boxWith(key), sealed, EMAIL) } },
      { id: plain, payload: { ...EMAIL, to: 'plain@example.test' } },
    ]);
    const transport = new RecordingTransport();
    const config = configWith(key);
    const worker = new OutboxService(dataSource, config, new SystemClock(), transport, new SecretBox(config));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let warnings: string[];
    try {
      await expect(worker.drain()).resolves.toBe(3);
      warnings = warn.mock.calls.map((c) => String(c[0]));
    } finally {
      warn.mockRestore();
    }

    expect(transport.sent).toEqual([EMAIL, { ...EMAIL, to: 'plain@example.test' }]);
    const failed = updates.filter((u) => u.sql.includes('SET last_error'));
    expect(failed).toHaveLength(1);
    expect(failed[0].params[0]).toBe(foreign);
    const lastError = String(failed[0].params[2]);
    expect(lastError).toMatch(/does not open with this instance's SECRETS_KEY/);
    expect(lastError).not.toContain('lk_rst_');
    expect(failed[0].params[4]).toBe(false); // retried later (another instance may hold the key), not given up
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^outbox ${foreign} \\(email\\) attempt 1 failed: .*SECRETS_KEY`)),
    ]);
    expect(updates.filter((u) => u.sql.includes("SET status = 'done'")).map((u) => u.params[0])).toEqual([
      sealed,
      plain,
    ]);
  });
});
