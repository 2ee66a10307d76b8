import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { deleteBatchOlderThan } from '../common/batch-delete.js';
import { Clock } from '../common/clock.js';
import { PollingLoop } from '../common/polling-loop.js';
import { describeError } from '../common/redaction.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { MailTransport, type OutgoingEmail } from './mail-transport.js';
import type { OutboxKind } from './outbox-message.entity.js';
import { openEmail, sealEmail } from './outbox-seal.js';

/** Processes one row of a kind other than `email`, inside a transaction that also marks the row done. */
export type OutboxHandler = (payload: Record<string, unknown>, manager: EntityManager) => Promise<void>;

interface ClaimedRow {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Rows claimed per round trip. */
const BATCH_SIZE = 20;
/** A claimed row is invisible to other workers this long; longer than a send can take (three 10 s timeouts). */
const LEASE_MS = 60_000;
/** The longest one row can take (a send: three 10 s timeouts), with a margin: less lease left, and it is renewed. */
const ROW_BOUND_MS = 35_000;
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 3_600_000;
/**
 * Payload fields that may hold a live reset token, sealed (or in clear, in a row queued before sealing): wiped once
 * the message is sent or given up.
 */
const RENDERED_FIELDS = ['subject', 'html', 'text', 'sealed'];

/** Exponential backoff with jitter: about base·2^(attempt−1), capped, then scattered over its upper half. */
export function retryDelayMs(attempts: number, random = Math.random()): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * The transactional outbox: work is queued in the caller's transaction and done afterwards by a
 * worker that any number of instances may run. Rows are claimed with FOR UPDATE SKIP LOCKED and a
 * lease, sent outside any transaction, then marked done or rescheduled with backoff; a row left
 * pending by a crash or a restart is simply claimed again when its lease runs out. An email is stored
 * sealed with SECRETS_KEY (outbox-seal.ts): a reset email's link and token are never in the database in clear.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private readonly handlers = new Map<OutboxKind, OutboxHandler>();
  /** One drain at a time per instance: drain() waits for the worker's round and vice versa. */
  private running: Promise<unknown> = Promise.resolve();
  private readonly loop = new PollingLoop(this.logger, 'outbox round failed', () => this.drain(), describeError);

  constructor(
    // The worker starts the transaction that runs a handler and completes its row; its other statements are plain SQL.
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly transport: MailTransport,
    private readonly box: SecretBox,
  ) {}

  /** Registers the processor of rows of `kind` (not `email`); it runs in a transaction and may enqueue with its manager. */
  registerHandler(kind: Exclude<OutboxKind, 'email'>, handler: OutboxHandler): void {
    if (this.handlers.has(kind)) throw new Error(`an outbox handler for "${kind}" is already registered`);
    this.handlers.set(kind, handler);
  }

  /** Queues work in `manager`'s transaction (else on its own), due now, an email sealed; returns the row's id. */
  async enqueue(
    kind: OutboxKind,
    payload: Record<string, unknown>,
    accountId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string> {
    const now = this.clock.now();
    // The id is chosen here: an email's seal is bound to its row.
    const id = randomUUID();
    const stored = kind === 'email' ? sealEmail(this.box, id, payload) : payload;
    // Plain SQL: on the reset-request and issue paths (BENCHMARKS.md), one INSERT without an entity.
    await manager.query(
      `INSERT INTO outbox (id, kind, payload, account_id, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)`,
      [id, kind, stored, accountId, now],
    );
    return id;
  }

  /** Processes every row due now (waiting for a round already under way); returns how many rows it handled. */
  drain(): Promise<number> {
    const round = this.running.then(() => this.drainNow());
    this.running = round.catch(() => undefined);
    return round;
  }

  onApplicationBootstrap(): void {
    if (!this.config.outboxWorker) return;
    this.loop.start(this.config.outboxPollMs);
  }

  /**
   * Stops polling and lets the round under way finish. No final drain: a slow SMTP server would hold
   * the shutdown; rows still pending go out from another instance or after the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.loop.stop();
    await this.running;
  }

  private async drainNow(): Promise<number> {
    let handled = 0;
    // Until nothing is due: rows a handler queued during this drain are due now too.
    for (let claimed = await this.claim(); claimed.rows.length > 0; claimed = await this.claim()) {
      let { rows, leaseEnds } = claimed;
      while (rows.length > 0) {
        // A batch is worked through one row after another: when slow sends (an SMTP server answering at the edge of
        // its timeouts) leave too little of the lease for the next row, the rest of the batch is leased again first.
        // Otherwise another worker would claim those rows when the lease ran out, and both would send them.
        if (leaseEnds - this.clock.now().getTime() < ROW_BOUND_MS) ({ rows, leaseEnds } = await this.renewLease(rows));
        const [row, ...rest] = rows;
        if (row) {
          await this.process(row);
          handled++;
        }
        rows = rest;
      }
    }
    return handled;
  }

  /** Leases `rows` again; the ones another worker claimed meanwhile (their attempt count moved on) are left out. */
  private async renewLease(rows: ClaimedRow[]): Promise<{ rows: ClaimedRow[]; leaseEnds: number }> {
    const leaseEnds = this.clock.now().getTime() + LEASE_MS;
    // Plain SQL: one guarded UPDATE over (id, attempts) pairs, which the ORM cannot say.
    const [renewed]: [{ id: string }[], number] = await this.dataSource.manager.query(
      `UPDATE outbox o SET next_attempt_at = $3
         FROM unnest($1::uuid[], $2::int[]) AS r(id, attempts)
        WHERE o.id = r.id AND o.attempts = r.attempts AND o.status = 'pending'
        RETURNING o.id`,
      [rows.map((r) => r.id), rows.map((r) => r.attempts), new Date(leaseEnds)],
    );
    const kept = new Set(renewed.map((r) => r.id));
    return { rows: rows.filter((r) => kept.has(r.id)), leaseEnds };
  }

  /**
   * Claims due rows in one short statement: locks them (skipping rows another worker holds), counts
   * the attempt and pushes next_attempt_at out by the lease, so nobody else claims them meanwhile.
   */
  private async claim(): Promise<{ rows: ClaimedRow[]; leaseEnds: number }> {
    const now = this.clock.now();
    // Plain SQL: FOR UPDATE SKIP LOCKED in an UPDATE … RETURNING, which the ORM cannot say.
    const [rows]: [ClaimedRow[], number] = await this.dataSource.manager.query(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
        WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'pending' AND next_attempt_at <= $1
                      ORDER BY next_attempt_at LIMIT $3
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, payload, attempts`,
      [now, new Date(now.getTime() + LEASE_MS), BATCH_SIZE],
    );
    return { rows, leaseEnds: now.getTime() + LEASE_MS };
  }

  private async process(row: ClaimedRow): Promise<void> {
    try {
      if (row.kind === 'email') {
        // A seal that does not open here (another SECRETS_KEY) is a failed attempt like a refused send.
        const email: OutgoingEmail = openEmail(this.box, row.id, row.payload);
        await this.transport.send(email, row.id);
      } else {
        const handler = this.handlers.get(row.kind);
        if (!handler) throw new Error(`no handler registered for outbox kind "${row.kind}"`);
        // The handler's writes and the row's completion commit together, or neither does.
        await this.dataSource.transaction(async (m) => {
          await handler(row.payload, m);
          if (!(await this.markDone(row, m))) throw new Error('the lease ran out; the row was claimed again');
        });
        return;
      }
    } catch (err) {
      await this.markFailedAttempt(row, describeError(err));
      return;
    }
    // A database error here is no failed send: it ends the round, and the row's lease decides its retry.
    await this.markDone(row, this.dataSource.manager);
  }

  /** Guarded by the attempt count: a worker whose lease ran out cannot complete a row claimed again. */
  private async markDone(row: ClaimedRow, manager: EntityManager): Promise<boolean> {
    // Plain SQL: an UPDATE guarded by the attempt count that strips the rendered fields from the jsonb payload.
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE outbox SET status = 'done', processed_at = $3, last_error = NULL, payload = payload - $4::text[]
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [row.id, row.attempts, this.clock.now(), RENDERED_FIELDS],
    );
    return affected === 1;
  }

  private async markFailedAttempt(row: ClaimedRow, error: string): Promise<void> {
    const now = this.clock.now();
    const giveUp = row.attempts >= this.config.outboxMaxAttempts;
    if (giveUp) {
      this.logger.error(`outbox ${row.id} (${row.kind}) failed for good after ${row.attempts} attempts: ${error}`);
    } else {
      this.logger.warn(`outbox ${row.id} (${row.kind}) attempt ${row.attempts} failed: ${error}`);
    }
    // Plain SQL: one guarded UPDATE that reschedules or gives up, like markDone.
    await this.dataSource.manager.query(
      `UPDATE outbox SET last_error = $3, next_attempt_at = $4,
              status = CASE WHEN $5 THEN 'failed' ELSE 'pending' END,
              processed_at = CASE WHEN $5 THEN $6::timestamptz END,
              payload = CASE WHEN $5 THEN payload - $7::text[] ELSE payload END
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [row.id, row.attempts, error, new Date(now.getTime() + retryDelayMs(row.attempts)), giveUp, now, RENDERED_FIELDS],
    );
  }

  /** Deletes up to `limit` delivered or abandoned rows processed before `cutoff` (the maintenance run). */
  deleteProcessed(cutoff: Date, limit: number, manager: EntityManager): Promise<number> {
    return deleteBatchOlderThan(manager, 'outbox', 'processed_at', cutoff, limit);
  }
}
