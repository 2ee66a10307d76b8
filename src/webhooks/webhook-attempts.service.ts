import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { deleteBatchOlderThan } from '../common/batch-delete.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookNotices } from './webhook-notices.js';
import { Webhook } from './webhook.entity.js';

/** The wait before attempt n+1 after attempt n failed; after the last, the delivery is `failed` for good. */
export const RETRY_DELAYS_MS = [5, 30, 120, 600, 1800, 7200, 21_600, 43_200].map((s) => s * 1000);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint whose every attempt failed this long is disabled. */
export const FAILING_LIMIT_MS = 3 * 86_400_000;

/** A due attempt this worker now holds, until `lease`. */
export interface ClaimedAttempt {
  id: string;
  accountId: string;
  webhookId: string;
  eventId: string;
  type: string;
  attempt: number;
  /** The lease's end: also its fencing token, since a worker that claims the row again writes a later one. */
  lease: Date;
}

/** What a held attempt is sent to, read in the statement that confirms the lease. */
export interface AttemptTarget {
  url: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  /** The endpoint's failing clock when the attempt began: a success then has it to reset. */
  failingSince: Date | null;
}

export interface AttemptOutcome {
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * The statements of the delivery worker on `webhook_deliveries` and `webhooks`: claiming due attempts,
 * confirming one just before it is sent, and recording its result (the next attempt, the endpoint's
 * failing clock, disabling it) in one short transaction. No statement here waits for a network call.
 */
@Injectable()
export class WebhookAttemptsService {
  private readonly logger = new Logger(WebhookAttemptsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly events: EventLogsService,
    private readonly notices: WebhookNotices,
  ) {}

  /**
   * Claims up to `limit` due attempts of enabled endpoints, at most `perEndpoint` per endpoint counting
   * the `running` ones this worker already holds, and leases them until `lease`.
   */
  async claim(now: Date, lease: Date, limit: number, perEndpoint: number, running: Map<string, number>) {
    const busy = [...running.keys()];
    const full = busy.filter((id) => running.get(id)! >= perEndpoint);
    // Plain SQL: FOR UPDATE SKIP LOCKED, and a per-endpoint cap (a window over the locked rows) the ORM cannot say.
    // No more rows are locked than can be taken: rows locked and left would hide from other instances meanwhile.
    const [rows]: [Omit<ClaimedAttempt, 'lease'>[], number] = await this.deliveries.query(
      `UPDATE webhook_deliveries d SET locked_until = $2
         FROM (WITH due AS (
                 SELECT d.id, d.webhook_id, d.next_attempt_at
                   FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.enabled
                  WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                    AND (d.locked_until IS NULL OR d.locked_until <= $1)
                    AND d.webhook_id <> ALL ($3::uuid[])
                  ORDER BY d.next_attempt_at
                  LIMIT $4
                    FOR UPDATE OF d SKIP LOCKED)
               SELECT r.id
                 FROM (SELECT id, webhook_id, next_attempt_at,
                              row_number() OVER (PARTITION BY webhook_id ORDER BY next_attempt_at) AS n
                         FROM due) r
                 LEFT JOIN unnest($5::uuid[], $6::int[]) AS busy (webhook_id, running) USING (webhook_id)
                WHERE r.n + coalesce(busy.running, 0) <= $7) picked
        WHERE d.id = picked.id
       RETURNING d.id, d.account_id AS "accountId", d.webhook_id AS "webhookId", d.event_id AS "eventId",
                 d.type, d.attempt`,
      [now, lease, full, limit, busy, busy.map((id) => running.get(id)!), perEndpoint],
    );
    return rows.map((r): ClaimedAttempt => ({ ...r, lease }));
  }

  /**
   * Just before sending: stamps the attempt and returns its endpoint, only while the endpoint exists and is
   * enabled and this worker still holds the lease; null means do not send. A DELETE, whose cascade locks
   * this row (as does a disable that drops the pending attempts), makes this return null when it
   * committed first, and is waited for when it is in progress. What remains: a request whose check
   * passed before the DELETE committed can reach the receiver after the answer, by the time of signing,
   * one DNS lookup and a connect (within the 10 s timeout).
   */
  async begin(attempt: ClaimedAttempt, now: Date): Promise<AttemptTarget | null> {
    // Plain SQL: a guarded UPDATE … RETURNING that reads the endpoint in the statement that confirms the lease.
    const [rows]: [AttemptTarget[], number] = await this.deliveries.query(
      `UPDATE webhook_deliveries d SET attempted_at = $3
         FROM webhooks w
        WHERE d.id = $1 AND d.status = 'pending' AND d.locked_until = $2 AND w.id = d.webhook_id AND w.enabled
       RETURNING w.url, w.secret_sealed AS "secretSealed", w.previous_secret_sealed AS "previousSecretSealed",
                 w.previous_secret_expires_at AS "previousSecretExpiresAt", w.failing_since AS "failingSince"`,
      [attempt.id, attempt.lease, now],
    );
    return rows[0] ?? null;
  }

  /**
   * Records a made attempt; fenced by the lease, so a worker whose lease ran out (and whose attempt was
   * claimed again) changes nothing. A success of an endpoint that was not failing is one statement; a
   * success resets the failing clock; a failure schedules the next attempt, unless it was the last or
   * `final`, and may disable the endpoint.
   */
  async record(
    attempt: ClaimedAttempt,
    outcome: AttemptOutcome,
    now: Date,
    { failing = true, final = false }: { failing?: boolean; final?: boolean } = {},
  ): Promise<void> {
    const succeeded = outcome.responseStatus !== null && outcome.responseStatus >= 200 && outcome.responseStatus < 300;
    if (succeeded && !failing) {
      await this.mark(attempt, outcome, now, 'succeeded', this.deliveries.manager);
      return;
    }
    await this.dataSource.transaction(async (m) => {
      // The endpoint first, then its attempt: the order of PATCH and DELETE, which lock the endpoint and then drop or
      // cascade to its pending attempts. In the other order each waits for the other, and one ends in a deadlock.
      // Plain SQL: FOR NO KEY UPDATE, the lock of the UPDATE below, which the ORM cannot say.
      await m.query(`SELECT 1 FROM webhooks WHERE id = $1 FOR NO KEY UPDATE`, [attempt.webhookId]);
      if (!(await this.mark(attempt, outcome, now, succeeded ? 'succeeded' : 'failed', m))) return;
      if (succeeded) {
        // Plain SQL: the ORM would also stamp updated_at, which tells when an admin last changed the endpoint.
        await m.query(`UPDATE webhooks SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [
          attempt.webhookId,
        ]);
        return;
      }
      await this.failed(attempt, now, final, m);
    });
  }

  /** False when the attempt is no longer this worker's (its lease ran out and it was claimed again, or it is gone). */
  private async mark(
    attempt: ClaimedAttempt,
    outcome: AttemptOutcome,
    now: Date,
    status: 'succeeded' | 'failed',
    m: EntityManager,
  ): Promise<boolean> {
    // Plain SQL: an UPDATE guarded by the lease, whose count says whether the attempt was still this worker's.
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE webhook_deliveries
          SET status = $3, response_status = $4, error = $5, duration_ms = $6,
              attempted_at = coalesce(attempted_at, $7), next_attempt_at = NULL, locked_until = NULL
        WHERE id = $1 AND status = 'pending' AND locked_until = $2`,
      [attempt.id, attempt.lease, status, outcome.responseStatus, outcome.error, outcome.durationMs, now],
    );
    return affected === 1;
  }

  /** For the periodic cleanup: deletes up to `limit` attempts created before `cutoff`, whatever their status. */
  deleteCreatedBefore(cutoff: Date, limit: number, manager: EntityManager): Promise<number> {
    return deleteBatchOlderThan(manager, 'webhook_deliveries', 'created_at', cutoff, limit);
  }

  private async failed(attempt: ClaimedAttempt, now: Date, final: boolean, m: EntityManager): Promise<void> {
    // Plain SQL: UPDATE … RETURNING (the endpoint is locked already, see record).
    const [rows]: [Pick<Webhook, 'url' | 'events' | 'enabled' | 'failingSince'>[], number] = await m.query(
      `UPDATE webhooks SET failing_since = coalesce(failing_since, $2) WHERE id = $1
       RETURNING url, events, enabled, failing_since AS "failingSince"`,
      [attempt.webhookId, now],
    );
    const endpoint = rows[0];
    // A disabled endpoint queues nothing.
    if (!endpoint?.enabled) return;
    if (now.getTime() - new Date(endpoint.failingSince!).getTime() >= FAILING_LIMIT_MS) {
      await this.disable({ ...endpoint, id: attempt.webhookId, accountId: attempt.accountId }, now, m);
      return;
    }
    if (final || attempt.attempt >= MAX_ATTEMPTS) return;
    await m.getRepository(WebhookDelivery).insert({
      accountId: attempt.accountId,
      webhookId: attempt.webhookId,
      eventId: attempt.eventId,
      type: attempt.type,
      attempt: attempt.attempt + 1,
      status: 'pending',
      createdAt: now,
      nextAttemptAt: new Date(now.getTime() + RETRY_DELAYS_MS[attempt.attempt - 1]),
    });
  }

  /** Gives up on an endpoint that failed for 3 days: disabled, its pending attempts dropped, the admins told. */
  private async disable(webhook: Pick<Webhook, 'id' | 'accountId' | 'url' | 'events'>, now: Date, m: EntityManager) {
    await m.getRepository(Webhook).update(webhook.id, { enabled: false, disabledReason: 'failing', updatedAt: now });
    await m.getRepository(WebhookDelivery).delete({ webhookId: webhook.id, status: 'pending' });
    await this.events.record(
      {
        accountId: webhook.accountId,
        action: 'webhook.updated',
        actor: { type: 'system', id: null },
        // As PATCH writes it (the host, never the URL, which may hold a credential of the receiver).
        data: {
          webhookId: webhook.id,
          changes: ['enabled'],
          host: new URL(webhook.url).host,
          events: webhook.events,
          enabled: false,
          disabledReason: 'failing',
        },
      },
      m,
    );
    await this.notices.send('disabled', webhook, m);
    this.logger.warn(`webhook ${webhook.id} disabled: every attempt failed for 3 days`);
  }
}
