import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { describeError } from '../common/redaction.js';
import { PollingLoop } from '../common/polling-loop.js';
import { AppConfig } from '../config/app-config.js';
import type { EventLogResponseDto } from '../event-logs/dto/event-log-response.dto.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import { postWebhook } from './net/safe-post.js';
import { signatureHeader } from './signing.js';
import { type AttemptTarget, type ClaimedAttempt, WebhookAttemptsService } from './webhook-attempts.service.js';
import { WebhooksService } from './webhooks.service.js';

/** A 2xx within this long is a success. */
const TIMEOUT_MS = 10_000;
/** A claimed attempt is this worker's this long: its timeout plus room for the statements around it. */
const LEASE_MS = 30_000;
/** Attempts in flight per instance, and per endpoint, so that a slow endpoint holds a few slots at most. */
const CONCURRENCY = 16;
const PER_ENDPOINT = 4;
/**
 * A claim waits for this many free slots, so that under load one statement claims several attempts; no
 * more than an endpoint's cap, so the slots that three hanging endpoints leave free are still used.
 */
const CLAIM_BATCH = PER_ENDPOINT;

/** The body of a delivery: the event-log entry without `ip` and `userAgent`. */
export function deliveryBody(event: EventLogResponseDto): string {
  const { id, action, actor, targetUserId, createdAt, data } = event;
  return JSON.stringify({
    type: action,
    timestamp: createdAt,
    data: { id, action, actor, targetUserId, createdAt, data },
  });
}

/**
 * Delivers webhook attempts: claims due attempts of enabled endpoints (SKIP LOCKED, under a lease) and
 * runs them concurrently, bounded per instance and per endpoint, each outside any transaction: re-check,
 * sign, POST, then record the result (and schedule the next attempt) in one short transaction. A new
 * attempt row exists only once the previous one is recorded, so two attempts of one delivery never overlap.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** Attempts in flight per endpoint id. */
  private readonly running = new Map<string, number>();
  /** One claim at a time per instance: callers share the one under way. */
  private claiming: Promise<number> | undefined;
  private claimAgain = false;
  private polling = false;
  private stopping = false;
  private readonly loop = new PollingLoop(this.logger, 'webhook claim failed', () => this.fill(), describeError);

  constructor(
    private readonly attempts: WebhookAttemptsService,
    private readonly events: EventLogsService,
    private readonly webhooks: WebhooksService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.webhookWorker) return;
    this.polling = true;
    this.loop.start(this.config.webhookPollMs);
  }

  /** Stops claiming and waits for the attempts in flight (each ends within its timeout) to be recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.loop.stop();
    await this.claiming?.catch(() => undefined);
    await Promise.all(this.inFlight);
  }

  /** Runs every attempt due now, and waits until none is in flight; returns how many it started. */
  async drain(): Promise<number> {
    let started = 0;
    for (;;) {
      // Done only when a claim that began with nothing in flight finds nothing: one that began while an
      // endpoint was at its cap may come back empty after those attempts have ended.
      const idle = this.inFlight.size === 0;
      const claimed = await this.fill();
      started += claimed;
      if (idle && claimed === 0) return started;
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
    }
  }

  /**
   * Claims as many due attempts as there are free slots and starts them; returns how many. A call during
   * a claim joins it and has one more claim run after it (which sees the slots freed meanwhile).
   */
  private fill(): Promise<number> {
    if (this.claiming) {
      this.claimAgain = true;
      return this.claiming;
    }
    const claiming = (async () => {
      let started = 0;
      try {
        do {
          this.claimAgain = false;
          started += await this.claimAndStart();
        } while (this.claimAgain && !this.stopping);
        return started;
      } finally {
        // In the step that saw no call waiting: a later call starts a claim of its own.
        this.claiming = undefined;
      }
    })();
    this.claiming = claiming;
    return claiming;
  }

  private async claimAndStart(): Promise<number> {
    let started = 0;
    while (!this.stopping && CONCURRENCY - this.inFlight.size >= CLAIM_BATCH) {
      const now = this.clock.now();
      const claimed = await this.attempts.claim(
        now,
        new Date(now.getTime() + LEASE_MS),
        CONCURRENCY - this.inFlight.size,
        PER_ENDPOINT,
        this.running,
      );
      if (claimed.length === 0) break;
      // One read for the batch, before any re-check, so the time from re-check to request stays short.
      const events = await this.events.findMany(claimed.map((c) => ({ accountId: c.accountId, id: c.eventId })));
      for (const attempt of claimed) this.start(attempt, events.get(attempt.eventId));
      started += claimed.length;
    }
    return started;
  }

  private start(attempt: ClaimedAttempt, event: EventLogResponseDto | undefined): void {
    this.running.set(attempt.webhookId, (this.running.get(attempt.webhookId) ?? 0) + 1);
    const run: Promise<void> = this.run(attempt, event)
      .catch((err: unknown) => this.logger.warn(`webhook attempt ${attempt.id} failed: ${describeError(err)}`))
      .finally(() => {
        this.inFlight.delete(run);
        const left = this.running.get(attempt.webhookId)! - 1;
        if (left > 0) this.running.set(attempt.webhookId, left);
        else this.running.delete(attempt.webhookId);
        // A freed slot takes the next due attempt now rather than at the next poll.
        if (this.polling && !this.stopping) void this.fill().catch(() => undefined);
      });
    this.inFlight.add(run);
  }

  /**
   * One attempt. A database error leaves it pending under its lease: claimed again once the lease runs
   * out (delivery is at least once).
   */
  private async run(attempt: ClaimedAttempt, event: EventLogResponseDto | undefined): Promise<void> {
    const now = this.clock.now();
    if (!event) {
      await this.attempts.record(attempt, { responseStatus: null, error: 'event not found', durationMs: 0 }, now, {
        final: true,
      });
      return;
    }
    const body = deliveryBody(event);
    const target = await this.attempts.begin(attempt, now);
    // Deleted, disabled, or no longer ours: nothing is sent.
    if (!target) return;
    let headers: Record<string, string>;
    try {
      headers = this.headers(attempt, target, body, now);
    } catch (err) {
      this.logger.error(`webhook ${attempt.webhookId}: its signing secret cannot be opened: ${describeError(err)}`);
      await this.attempts.record(attempt, { responseStatus: null, error: 'internal error', durationMs: 0 }, now);
      return;
    }
    // The attempt ends inside the lease, so no other worker can start this one while it is still running.
    const timeoutMs = Math.min(TIMEOUT_MS, attempt.lease.getTime() - now.getTime() - 5_000);
    if (timeoutMs <= 0) return;
    const result = await postWebhook(target.url, body, headers, {
      timeoutMs,
      allowPrivateNetworks: this.config.webhookAllowPrivateNetworks,
    });
    await this.attempts.record(
      attempt,
      { responseStatus: result.status, error: result.error, durationMs: result.durationMs },
      this.clock.now(),
      { failing: target.failingSince !== null },
    );
  }

  /** Standard Webhooks headers; the previous secret signs too until its overlap ends. */
  private headers(attempt: ClaimedAttempt, target: AttemptTarget, body: string, now: Date): Record<string, string> {
    const secrets = this.webhooks.signingSecrets(
      {
        id: attempt.webhookId,
        secretSealed: target.secretSealed,
        previousSecretSealed: target.previousSecretSealed,
        previousSecretExpiresAt: target.previousSecretExpiresAt && new Date(target.previousSecretExpiresAt),
      },
      now,
    );
    const timestamp = Math.floor(now.getTime() / 1000);
    return {
      'content-type': 'application/json',
      'webhook-id': attempt.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, attempt.eventId, timestamp, body),
    };
  }
}
