import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WebhookAttemptsService } from '../src/webhooks/webhook-attempts.service.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signUp } from './helpers/factories.js';
import { transactionHeldOpen, untilWaitingOnALock } from './helpers/locks.js';
import { attemptsOf, insertEndpoint, queueTestEvent, TEST_SECRETS_KEY } from './helpers/webhook-rows.js';

/**
 * An endpoint disabled or deleted while the delivery worker records one of its attempts. The routes lock the endpoint
 * first (`PATCH`/`DELETE /v3/webhooks/{id}`), then its pending attempts (a disable drops them, a delete cascades); the
 * worker's record must take the two in the same order, or each waits for the other and PostgreSQL ends one with a
 * deadlock: a 500 for the admin. The route is held open after its first lock, so the record meets it every time.
 * Needs concurrent transactions: PostgreSQL (TEST_DATABASE_URL); the embedded database runs one at a time.
 */
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('an endpoint disabled or deleted while an attempt of it is being recorded', () => {
  let t: TestApp;
  let ds: DataSource;
  let attempts: WebhookAttemptsService;
  let accountId: string;

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_WORKER: 'off', OUTBOX_WORKER: 'off', SECRETS_KEY: TEST_SECRETS_KEY });
    ds = t.app.get(DataSource);
    attempts = t.app.get(WebhookAttemptsService);
    accountId = (await signUp(t)).account.id;
  }, 120_000);
  afterAll(async () => t?.close());

  /** What the route does, held open after its first step (the endpoint's row lock) until `finish` runs the rest. */
  const routeHeldOpen = async (webhookId: string, rest: readonly string[]) => {
    const held = await transactionHeldOpen(ds, [[`SELECT id FROM webhooks WHERE id = $1 FOR UPDATE`, [webhookId]]]);
    return { finish: () => held.finish(rest.map((sql) => [sql, [webhookId]] as const)) };
  };

  it.each([
    [
      'disabled (PATCH enabled: false drops the pending attempts)',
      [
        `UPDATE webhooks SET enabled = false WHERE id = $1`,
        `DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'pending'`,
      ],
    ],
    ['deleted (DELETE, which cascades to the attempts)', [`DELETE FROM webhooks WHERE id = $1`]],
  ] as const)('%s: both commit', async (_, rest) => {
    // Unroutable: nothing is sent; the record is called as the worker calls it after a failed attempt.
    const e = await insertEndpoint(t, accountId, 'https://192.0.2.1/hook');
    await queueTestEvent(t, accountId, e.id);
    // Due before anything else: on a shared database other suites' pending attempts are due too, and a claim takes
    // the oldest first.
    await ds.query(`UPDATE webhook_deliveries SET next_attempt_at = '2000-01-01Z' WHERE webhook_id = $1`, [e.id]);
    const now = t.clock.now();
    const claimed = await attempts.claim(now, new Date(now.getTime() + 30_000), 64, 4, new Map());
    const mine = claimed.find((c) => c.webhookId === e.id)!;
    expect(mine).toBeDefined();
    expect(await attempts.begin(mine, now)).not.toBeNull();

    const route = await routeHeldOpen(e.id, rest);
    const recorded = attempts
      .record(mine, { responseStatus: null, error: 'connection refused', durationMs: 3 }, now)
      .then(() => null)
      .catch((err: Error) => err.message);
    await untilWaitingOnALock(ds, 'the record');
    const routed = await route
      .finish()
      .then(() => null)
      .catch((err: Error) => err.message);
    expect({ route: routed, record: await recorded }).toEqual({ route: null, record: null });
    // Nothing pending is left behind, and no retry was queued for an endpoint that is gone or disabled.
    expect((await attemptsOf(t, e.id)).filter((a) => a.status === 'pending')).toEqual([]);
  });
});
