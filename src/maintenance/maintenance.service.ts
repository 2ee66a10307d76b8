import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CredentialsService } from '../access-tokens/credentials.service.js';
import { Clock } from '../common/clock.js';
import { PollingLoop } from '../common/polling-loop.js';
import { AppConfig } from '../config/app-config.js';
import { OutboxService } from '../mail/outbox.service.js';
import { ResetTokensService } from '../reset-tokens/reset-tokens.service.js';
import { WebhookAttemptsService } from '../webhooks/webhook-attempts.service.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';

/** Dead rows are kept this long after they expired, were used or were revoked, for support questions. */
const CLEANUP_RETENTION_MS = 24 * 3_600_000;
/** Events are kept 400 days, then deleted by the cleanup job (API.md "Event log"). */
const EVENT_LOGS_RETENTION_MS = 400 * 86_400_000;
/** Webhook delivery attempts are listed per endpoint for 30 days (API.md). */
const WEBHOOK_DELIVERIES_RETENTION_MS = 30 * 86_400_000;
/** Rows deleted per statement: each DELETE holds its locks briefly and writes a small burst of WAL. */
const CLEANUP_BATCH_SIZE = 5000;
/** Batches per kind of dead row per run; whatever is left waits for the next run. */
const CLEANUP_MAX_BATCHES = 100;
/** Fixed: every instance takes the same advisory lock, so one at a time cleans up. */
const CLEANUP_LOCK_KEY = 73_162_025;

/** Deletes up to `limit` dead rows older than `cutoff` through the table's owner; returns how many. */
type DeleteBatch = (cutoff: Date, limit: number, manager: EntityManager) => Promise<number>;

export interface CleanupOptions {
  batchSize?: number;
  maxBatches?: number;
}

export interface CleanupReport {
  /** Another run (in this process or another instance) held the lock: nothing was done. */
  skipped: boolean;
  resetTokens: number;
  sessions: number;
  /** Delivered or failed outbox rows. */
  outbox: number;
  /** Webhook delivery attempts older than 30 days. */
  webhookDeliveries: number;
  /** Events older than 400 days. */
  eventLogs: number;
  /** Some kind of row hit the per-run cap: more may be left for the next run. */
  capped: boolean;
}

/**
 * Deletes reset tokens and sessions that expired, were used or were revoked longer ago than the
 * retention period, every CLEANUP_INTERVAL_MS, in bounded batches, under an advisory try-lock so
 * that one instance at a time does it.
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MaintenanceService.name);
  private readonly loop = new PollingLoop(this.logger, 'cleanup failed', async () => {
    const r = await this.runOnce();
    if (r.resetTokens || r.sessions || r.outbox || r.webhookDeliveries || r.eventLogs) {
      this.logger.log(
        `deleted ${r.resetTokens} reset tokens, ${r.sessions} sessions, ${r.outbox} outbox rows, ${r.webhookDeliveries} webhook deliveries and ${r.eventLogs} events${r.capped ? ' (more left for the next run)' : ''}`,
      );
    }
  });
  private running: Promise<CleanupReport> | undefined;
  private stopping = false;

  constructor(
    // For the one connection that holds the advisory lock; each owner runs its batches on it.
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly resetTokens: ResetTokensService,
    private readonly credentials: CredentialsService,
    private readonly outbox: OutboxService,
    private readonly webhookAttempts: WebhookAttemptsService,
    private readonly events: EventLogsService,
  ) {}

  /**
   * Each kind of dead row, deleted by the table's owner through an index on the column compared
   * (ix_reset_tokens_expires, ix_reset_tokens_used, ix_reset_tokens_revoked, ix_sessions_expires, ix_sessions_revoked,
   * ix_outbox_processed, ix_webhook_deliveries_created, ix_event_logs_created), kept for the retention period (a day
   * unless said).
   */
  private readonly targets: {
    kind: Exclude<keyof CleanupReport, 'skipped' | 'capped'>;
    retentionMs?: number;
    deleteBatch: DeleteBatch;
  }[] = [
    { kind: 'resetTokens', deleteBatch: (c, l, m) => this.resetTokens.deleteDead('expires_at', c, l, m) },
    { kind: 'resetTokens', deleteBatch: (c, l, m) => this.resetTokens.deleteDead('used_at', c, l, m) },
    { kind: 'resetTokens', deleteBatch: (c, l, m) => this.resetTokens.deleteDead('revoked_at', c, l, m) },
    { kind: 'sessions', deleteBatch: (c, l, m) => this.credentials.deleteDeadSessions('expires_at', c, l, m) },
    { kind: 'sessions', deleteBatch: (c, l, m) => this.credentials.deleteDeadSessions('revoked_at', c, l, m) },
    // Delivered or abandoned outbox rows: their payload still names the recipient and the requester's IP.
    { kind: 'outbox', deleteBatch: (c, l, m) => this.outbox.deleteProcessed(c, l, m) },
    {
      kind: 'webhookDeliveries',
      retentionMs: WEBHOOK_DELIVERIES_RETENTION_MS,
      deleteBatch: (c, l, m) => this.webhookAttempts.deleteCreatedBefore(c, l, m),
    },
    {
      kind: 'eventLogs',
      retentionMs: EVENT_LOGS_RETENTION_MS,
      deleteBatch: (c, l, m) => this.events.deleteCreatedBefore(c, l, m),
    },
  ];

  onApplicationBootstrap(): void {
    this.loop.start(this.config.cleanupIntervalMs);
  }

  /** Stops the schedule and waits for a run under way, which gives up between batches. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.loop.stop();
    await this.running?.catch(() => undefined);
  }

  /** One cleanup run now; skipped when a run is already under way here or in another instance. */
  runOnce(options: CleanupOptions = {}): Promise<CleanupReport> {
    if (this.running)
      return Promise.resolve({
        skipped: true,
        resetTokens: 0,
        sessions: 0,
        outbox: 0,
        webhookDeliveries: 0,
        eventLogs: 0,
        capped: false,
      });
    const run = this.run(options).finally(() => (this.running = undefined));
    this.running = run;
    return run;
  }

  private async run({
    batchSize = CLEANUP_BATCH_SIZE,
    maxBatches = CLEANUP_MAX_BATCHES,
  }: CleanupOptions): Promise<CleanupReport> {
    const report: CleanupReport = {
      skipped: false,
      resetTokens: 0,
      sessions: 0,
      outbox: 0,
      webhookDeliveries: 0,
      eventLogs: 0,
      capped: false,
    };
    const runner = this.dataSource.createQueryRunner();
    try {
      // The embedded database has one instance and one session: there is nobody to exclude.
      if (!this.config.embedded) {
        // Plain SQL: advisory locks, which the ORM cannot say.
        const [{ locked }]: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
          CLEANUP_LOCK_KEY,
        ]);
        if (!locked) return { ...report, skipped: true };
      }
      try {
        const now = this.clock.now().getTime();
        for (const { kind, retentionMs = CLEANUP_RETENTION_MS, deleteBatch } of this.targets) {
          const { deleted, capped } = await this.deleteOlderThan(
            runner.manager,
            deleteBatch,
            new Date(now - retentionMs),
            batchSize,
            maxBatches,
          );
          report[kind] += deleted;
          report.capped ||= capped;
        }
      } finally {
        if (!this.config.embedded) await runner.query('SELECT pg_advisory_unlock($1)', [CLEANUP_LOCK_KEY]);
      }
      return report;
    } finally {
      await runner.release();
    }
  }

  /** Deletes rows older than `cutoff`, a batch per statement, at most `maxBatches` batches. */
  private async deleteOlderThan(
    manager: EntityManager,
    deleteBatch: DeleteBatch,
    cutoff: Date,
    batchSize: number,
    maxBatches: number,
  ): Promise<{ deleted: number; capped: boolean }> {
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      if (this.stopping && batch > 0) return { deleted, capped: true };
      const count = await deleteBatch(cutoff, batchSize, manager);
      deleted += count;
      if (count < batchSize) return { deleted, capped: false };
    }
    return { deleted, capped: true };
  }
}
