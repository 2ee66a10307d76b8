import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MaintenanceService } from '../src/maintenance/maintenance.service.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signUp } from './helpers/factories.js';

const HOUR = 3_600_000;

describe('maintenance: periodic cleanup of dead reset tokens and sessions', () => {
  let t: TestApp;
  let db: DataSource;
  let maintenance: MaintenanceService;
  let accountId: string;

  beforeAll(async () => {
    // Long enough that the schedule never fires during these tests; they call runOnce() themselves.
    t = await createTestApp({ CLEANUP_INTERVAL_MS: '86400000' });
    db = t.app.get(DataSource);
    maintenance = t.app.get(MaintenanceService);
    accountId = (await signUp(t)).account.id as string;
  }, 120_000);
  afterAll(async () => t?.close());

  const at = (offsetMs: number) => new Date(t.clock.now().getTime() + offsetMs);

  async function newUser(): Promise<string> {
    const rows: { id: string }[] = await db.query(
      `INSERT INTO users (account_id, email, email_canonical, first_name, last_name, role)
       VALUES ($1, $2, $2, 'Uma', 'User', 'user') RETURNING id`,
      [accountId, `${randomUUID()}@example.test`],
    );
    return rows[0].id;
  }

  async function resetToken(
    userId: string,
    times: { expiresAt: Date; usedAt?: Date; revokedAt?: Date },
  ): Promise<string> {
    const rows: { id: string }[] = await db.query(
      `INSERT INTO reset_tokens (account_id, user_id, token_hash, origin, created_by_type, created_at, expires_at, used_at, revoked_at)
       VALUES ($1, $2, $3, 'api', 'user', $4, $5, $6, $7) RETURNING id`,
      [
        accountId,
        userId,
        randomBytes(32),
        at(-48 * HOUR),
        times.expiresAt,
        times.usedAt ?? null,
        times.revokedAt ?? null,
      ],
    );
    return rows[0].id;
  }

  async function session(userId: string, times: { expiresAt: Date; revokedAt?: Date }): Promise<string> {
    const rows: { id: string }[] = await db.query(
      `INSERT INTO sessions (account_id, user_id, token_hash, created_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [accountId, userId, randomBytes(32), at(-48 * HOUR), times.expiresAt, times.revokedAt ?? null],
    );
    return rows[0].id;
  }

  async function outboxRow(status: 'pending' | 'done' | 'failed', processedAt: Date | null): Promise<string> {
    const rows: { id: string }[] = await db.query(
      `INSERT INTO outbox (account_id, kind, payload, status, created_at, processed_at)
       VALUES ($1, 'reset-request', '{"email":"x@example.test"}', $2, $3, $4) RETURNING id`,
      [accountId, status, at(-48 * HOUR), processedAt],
    );
    return rows[0].id;
  }

  const existing = async (
    table: 'reset_tokens' | 'sessions' | 'outbox' | 'webhook_deliveries' | 'event_logs',
    ids: string[],
  ): Promise<string[]> =>
    ((await db.query(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids])) as { id: string }[])
      .map((r) => r.id)
      .sort();

  /** What earlier suites left dead on a shared database, so that the counts below are this suite's own. */
  const clearDeadRows = () => maintenance.runOnce({ maxBatches: 1_000_000 });

  it('deletes rows dead for longer than a day, keeps live and recently dead ones, and goes by the Clock', async () => {
    await clearDeadRows();
    const [a, b, c, d, e, f, g] = await Promise.all(Array.from({ length: 7 }, () => newUser()));
    const expiredLongAgo = await resetToken(a, { expiresAt: at(-25 * HOUR) });
    const usedLongAgo = await resetToken(b, { expiresAt: at(HOUR), usedAt: at(-25 * HOUR) });
    const revokedLongAgo = await resetToken(c, { expiresAt: at(HOUR), revokedAt: at(-25 * HOUR) });
    const usedRecently = await resetToken(d, { expiresAt: at(HOUR), usedAt: at(-HOUR) });
    const expiredRecently = await resetToken(e, { expiresAt: at(-HOUR) });
    const live = await resetToken(f, { expiresAt: at(HOUR) });
    const sessionExpiredLongAgo = await session(g, { expiresAt: at(-25 * HOUR) });
    const sessionRevokedLongAgo = await session(g, { expiresAt: at(HOUR), revokedAt: at(-25 * HOUR) });
    const sessionRevokedRecently = await session(g, { expiresAt: at(HOUR), revokedAt: at(-HOUR) });
    const liveSession = await session(g, { expiresAt: at(HOUR) });
    const sentLongAgo = await outboxRow('done', at(-25 * HOUR));
    const failedLongAgo = await outboxRow('failed', at(-25 * HOUR));
    const sentRecently = await outboxRow('done', at(-HOUR));
    const pending = await outboxRow('pending', null);
    const tokens = [expiredLongAgo, usedLongAgo, revokedLongAgo, usedRecently, expiredRecently, live];
    const sessions = [sessionExpiredLongAgo, sessionRevokedLongAgo, sessionRevokedRecently, liveSession];

    const first = await maintenance.runOnce();
    expect(first).toEqual({
      skipped: false,
      resetTokens: 3,
      sessions: 2,
      outbox: 2,
      webhookDeliveries: 0,
      eventLogs: 0,
      capped: false,
    });
    expect(await existing('reset_tokens', tokens)).toEqual([usedRecently, expiredRecently, live].sort());
    expect(await existing('sessions', sessions)).toEqual([sessionRevokedRecently, liveSession].sort());
    expect(await existing('outbox', [sentLongAgo, failedLongAgo, sentRecently, pending])).toEqual(
      [sentRecently, pending].sort(),
    );

    // 47 hours later by the service's clock the rows above are all dead for over a day (the sign-up
    // session, valid for 24 hours, is not yet).
    t.clock.advance(47 * 3600);
    try {
      const second = await maintenance.runOnce();
      // Other suites' rows on a shared PostgreSQL database may die in these 47 hours too.
      expect(second).toMatchObject({ skipped: false, capped: false });
      expect(second.resetTokens).toBeGreaterThanOrEqual(3);
      expect(second.sessions).toBeGreaterThanOrEqual(2);
      expect(second.outbox).toBeGreaterThanOrEqual(1);
      expect(await existing('reset_tokens', tokens)).toEqual([]);
      expect(await existing('sessions', sessions)).toEqual([]);
      // A row still waiting to be delivered is never removed.
      expect(await existing('outbox', [sentRecently, pending])).toEqual([pending]);
    } finally {
      t.clock.reset();
    }
  });

  it('deletes events after 400 days (API.md "Event log"), and keeps younger ones', async () => {
    await clearDeadRows();
    const event = async (createdAt: Date): Promise<string> => {
      const rows: { id: string }[] = await db.query(
        `INSERT INTO event_logs (account_id, action, actor_type, data, created_at)
         VALUES ($1, 'user.created', 'system', '{}', $2) RETURNING id`,
        [accountId, createdAt],
      );
      return rows[0].id;
    };
    const old = await event(at(-401 * 24 * HOUR));
    const young = await event(at(-399 * 24 * HOUR));
    const report = await maintenance.runOnce();
    expect(report).toMatchObject({ skipped: false, eventLogs: 1, capped: false });
    expect(await existing('event_logs', [old, young])).toEqual([young]);
  });

  it('deletes webhook delivery attempts after 30 days, whatever their status', async () => {
    await clearDeadRows();
    const [{ id: webhookId }]: { id: string }[] = await db.query(
      `INSERT INTO webhooks (account_id, url, events, secret_sealed, created_by_type)
       VALUES ($1, 'https://example.test/hook', '{*}', 'v1.sealed', 'system') RETURNING id`,
      [accountId],
    );
    const attempt = async (status: string, createdAt: Date): Promise<string> => {
      const rows: { id: string }[] = await db.query(
        `INSERT INTO webhook_deliveries (account_id, webhook_id, event_id, type, status, created_at)
         VALUES ($1, $2, gen_random_uuid(), 'user.created', $3, $4) RETURNING id`,
        [accountId, webhookId, status, createdAt],
      );
      return rows[0].id;
    };
    const failedLongAgo = await attempt('failed', at(-31 * 24 * HOUR));
    const succeededLongAgo = await attempt('succeeded', at(-31 * 24 * HOUR));
    const recent = await attempt('failed', at(-29 * 24 * HOUR));

    const report = await maintenance.runOnce();
    expect(report).toMatchObject({ skipped: false, webhookDeliveries: 2, capped: false });
    expect(await existing('webhook_deliveries', [failedLongAgo, succeededLongAgo, recent])).toEqual([recent]);
  });

  it('deletes in bounded batches and leaves what is over the cap for the next run', async () => {
    await clearDeadRows();
    const user = await newUser();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await resetToken(user, { expiresAt: at(HOUR), revokedAt: at(-30 * HOUR) }));

    expect(await maintenance.runOnce({ batchSize: 5, maxBatches: 2 })).toEqual({
      skipped: false,
      resetTokens: 10,
      sessions: 0,
      outbox: 0,
      webhookDeliveries: 0,
      eventLogs: 0,
      capped: true,
    });
    expect(await existing('reset_tokens', ids)).toHaveLength(2);

    expect(await maintenance.runOnce({ batchSize: 5, maxBatches: 2 })).toEqual({
      skipped: false,
      resetTokens: 2,
      sessions: 0,
      outbox: 0,
      webhookDeliveries: 0,
      eventLogs: 0,
      capped: false,
    });
    expect(await existing('reset_tokens', ids)).toEqual([]);
  });

  it('does not start a second run while one is under way', async () => {
    const user = await newUser();
    const id = await resetToken(user, { expiresAt: at(-30 * HOUR) });
    const [first, second] = await Promise.all([maintenance.runOnce(), maintenance.runOnce()]);
    expect(second).toEqual({
      skipped: true,
      resetTokens: 0,
      sessions: 0,
      outbox: 0,
      webhookDeliveries: 0,
      eventLogs: 0,
      capped: false,
    });
    expect(first.skipped).toBe(false);
    expect(first.resetTokens).toBeGreaterThanOrEqual(1);
    expect(await existing('reset_tokens', [id])).toEqual([]);
  });

  // Another instance is another PostgreSQL session; the embedded database has only one.
  (process.env.TEST_DATABASE_URL ? it : it.skip)('skips the run while another instance holds the lock', async () => {
    const user = await newUser();
    const id = await resetToken(user, { expiresAt: at(-30 * HOUR) });
    // A connection of its own from the pool: a separate PostgreSQL session, like another instance's.
    const other = db.createQueryRunner();
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(73162025)');
      expect(await maintenance.runOnce()).toEqual({
        skipped: true,
        resetTokens: 0,
        sessions: 0,
        outbox: 0,
        webhookDeliveries: 0,
        eventLogs: 0,
        capped: false,
      });
      expect(await existing('reset_tokens', [id])).toEqual([id]);
      await other.query('SELECT pg_advisory_unlock(73162025)');
      expect((await maintenance.runOnce()).resetTokens).toBeGreaterThanOrEqual(1);
      expect(await existing('reset_tokens', [id])).toEqual([]);
    } finally {
      await other.release();
    }
  });
});

describe('maintenance: the schedule', () => {
  it('runs every CLEANUP_INTERVAL_MS after start-up and stops with the application', async () => {
    const t = await createTestApp({ CLEANUP_INTERVAL_MS: '1000' });
    try {
      const db = t.app.get(DataSource);
      const accountId = (await signUp(t)).account.id as string;
      const [{ id: userId }]: { id: string }[] = await db.query(
        `INSERT INTO users (account_id, email, email_canonical, first_name, last_name, role)
         VALUES ($1, 'sched@example.test', 'sched@example.test', 'Uma', 'User', 'user') RETURNING id`,
        [accountId],
      );
      const [{ id }]: { id: string }[] = await db.query(
        `INSERT INTO sessions (account_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [accountId, userId, randomBytes(32), new Date(t.clock.now().getTime() - 30 * HOUR)],
      );
      const gone = async () =>
        ((await db.query(`SELECT id FROM sessions WHERE id = $1`, [id])) as unknown[]).length === 0;
      const deadline = Date.now() + 10_000;
      while (!(await gone()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await gone()).toBe(true);
    } finally {
      await t.close();
    }
  }, 120_000);
});
