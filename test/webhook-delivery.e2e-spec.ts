import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { newWebhookSecret } from '../src/webhooks/signing.js';
import { WebhookDelivery } from '../src/webhooks/webhook-delivery.entity.js';
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker.js';
import { WebhookAttemptsService } from '../src/webhooks/webhook-attempts.service.js';
import { Webhook } from '../src/webhooks/webhook.entity.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signUp } from './helpers/factories.js';
import { openedEmail } from './helpers/outbox-rows.js';
import { WebhookReceiver, type ReceivedRequest } from './helpers/webhook-receiver.js';
import {
  attemptsOf,
  endpointRow,
  insertEndpoint,
  queueTestEvent,
  rotateEndpointSecret,
  TEST_SECRETS_KEY,
} from './helpers/webhook-rows.js';

const onPostgres = !!process.env.TEST_DATABASE_URL;
const DAY_S = 86_400;

/** The tests drive the worker with drain(); the admin emails stay queued in the outbox to be looked at. */
const ENV = {
  WEBHOOK_WORKER: 'off',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  SECRETS_KEY: TEST_SECRETS_KEY,
  OUTBOX_WORKER: 'off',
};

/** Verifies a received delivery with the Standard Webhooks library a portal would use; returns its payload. */
const verify = (secret: string, req: ReceivedRequest) => new StandardWebhook(secret).verify(req.body, req.headers);

describe(`webhook delivery (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let worker: WebhookDeliveryWorker;
  let accountId: string;
  const receivers: WebhookReceiver[] = [];
  const secrets: string[] = [];

  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  const endpoint = async (url: string, fields: Parameters<typeof insertEndpoint>[3] = {}) => {
    const e = await insertEndpoint(t, accountId, url, fields);
    secrets.push(e.secret);
    return e;
  };

  beforeAll(async () => {
    t = await createTestApp(ENV);
    worker = t.app.get(WebhookDeliveryWorker);
    accountId = (await signUp(t)).account.id;
  }, 120_000);
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await t?.close();
  });

  it('delivers the event-log entry, signed so that standardwebhooks verifies it, and records the success', async () => {
    const r = await receiver();
    const e = await endpoint(r.url, { failingSince: new Date(t.clock.now().getTime() - 3600_000) });
    const eventId = await queueTestEvent(t, accountId, e.id);

    // Counts and attempts are this endpoint's own: on a shared PostgreSQL database drain() also runs other suites' attempts.
    await worker.drain();
    const [req] = await r.waitFor(1);
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe(eventId);
    expect(Math.abs(Number(req.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const payload = verify(e.secret, req) as Record<string, unknown>;
    expect(payload).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: {
        id: eventId,
        action: 'webhook.test',
        actor: { type: 'system', id: null },
        targetUserId: null,
        createdAt: payload.timestamp,
        data: { webhookId: e.id },
      },
    });
    expect(req.body).not.toMatch(/203\.0\.113\.9|test-agent|userAgent|"ip"/);
    expect(() => verify(newWebhookSecret(), req)).toThrow();

    const [attempt] = await attemptsOf(t, e.id);
    expect(attempt).toMatchObject({
      eventId,
      attempt: 1,
      status: 'succeeded',
      responseStatus: 204,
      error: null,
      nextAttemptAt: null,
      lockedUntil: null,
    });
    expect(attempt.durationMs).toEqual(expect.any(Number));
    expect(attempt.attemptedAt).toBeInstanceOf(Date);
    // A success ends the endpoint's failing period.
    expect((await endpointRow(t, e.id)).failingSince).toBeNull();
  });

  it('retries a 500 after 5 s with the same webhook-id and a fresh timestamp, and gives up after 9 attempts', async () => {
    const r = await receiver();
    r.fallback = { status: 500 };
    const e = await endpoint(r.url);
    const eventId = await queueTestEvent(t, accountId, e.id);
    const delays = [5, 30, 120, 600, 1800, 7200, 21_600, 43_200];

    await worker.drain();
    for (const [i, delay] of delays.entries()) {
      const attempts = await attemptsOf(t, e.id);
      expect(attempts).toHaveLength(i + 2);
      expect(attempts[i]).toMatchObject({ attempt: i + 1, status: 'failed', responseStatus: 500, error: null });
      const next = attempts[i + 1];
      expect(next).toMatchObject({ attempt: i + 2, status: 'pending', eventId });
      expect(next.nextAttemptAt!.getTime() - attempts[i].attemptedAt!.getTime()).toBeGreaterThanOrEqual(delay * 1000);
      expect(next.nextAttemptAt!.getTime() - attempts[i].attemptedAt!.getTime()).toBeLessThan(delay * 1000 + 2000);
      // Not due before its time.
      await worker.drain();
      expect(await attemptsOf(t, e.id)).toHaveLength(i + 2);
      expect(r.requests).toHaveLength(i + 1);
      t.clock.advance(delay);
      await worker.drain();
      expect(r.requests).toHaveLength(i + 2);
    }
    const attempts = await attemptsOf(t, e.id);
    expect(attempts).toHaveLength(9);
    expect(attempts.every((a) => a.status === 'failed')).toBe(true);

    const requests = await r.waitFor(9);
    expect(new Set(requests.map((q) => q.headers['webhook-id']))).toEqual(new Set([eventId]));
    expect(Number(requests[1].headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
      Number(requests[0].headers['webhook-timestamp']) + 5,
    );
    // Each verifies on its own timestamp (the library's 5-minute tolerance only allows the first two here).
    verify(e.secret, requests[0]);
    expect(requests[1].body).toBe(requests[0].body);
  });

  it('times out after 10 s and retries with the same webhook-id, while another endpoint is delivered at once', async () => {
    const slow = await receiver();
    const fast = await receiver();
    // The slow endpoint never answers its first four requests (its cap): the other two wait for a slot.
    slow.reply(...Array.from({ length: 4 }, () => ({ hang: true })));
    const a = await endpoint(slow.url);
    const b = await endpoint(fast.url);
    const slowEvents: string[] = [];
    for (let i = 0; i < 6; i++) slowEvents.push(await queueTestEvent(t, accountId, a.id));
    const fastEvent = await queueTestEvent(t, accountId, b.id);

    const started = performance.now();
    const drained = worker.drain();
    const [got] = await fast.waitFor(1);
    expect(got.at - started).toBeLessThan(3000);
    expect(got.headers['webhook-id']).toBe(fastEvent);
    // A slow endpoint holds at most 4 of the 16 slots.
    await slow.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.requests).toHaveLength(4);
    await drained;
    expect(performance.now() - started).toBeGreaterThanOrEqual(10_000);

    const attempts = await attemptsOf(t, a.id);
    const timedOut = attempts.filter((x) => x.error === 'timeout');
    expect(timedOut).toHaveLength(4);
    for (const x of timedOut) {
      expect(x).toMatchObject({ status: 'failed', responseStatus: null });
      expect(x.durationMs).toBeGreaterThanOrEqual(9_900);
    }
    expect(attempts.filter((x) => x.status === 'succeeded')).toHaveLength(2);
    expect(attempts.filter((x) => x.status === 'pending')).toHaveLength(4);

    t.clock.advance(5);
    await worker.drain();
    const retries = slow.requests.slice(6);
    expect(retries).toHaveLength(4);
    const firstIds = slow.requests.slice(0, 4).map((q) => q.headers['webhook-id']);
    expect(retries.map((q) => q.headers['webhook-id']).sort()).toEqual([...firstIds].sort());
    for (const q of retries) verify(a.secret, q);
    const firstOf = (id: string) => slow.requests.find((q) => q.headers['webhook-id'] === id)!;
    for (const q of retries)
      expect(Number(q.headers['webhook-timestamp'])).toBeGreaterThan(
        Number(firstOf(q.headers['webhook-id']).headers['webhook-timestamp']),
      );
    expect(new Set(slow.requests.map((q) => q.headers['webhook-id']))).toEqual(new Set(slowEvents));
  }, 60_000);

  it('drains everything due for one endpoint, even when its attempts all end while a claim finds it full', async () => {
    const r = await receiver();
    const e = await endpoint(r.url);
    const eventIds: string[] = [];
    for (let i = 0; i < 12; i++) eventIds.push(await queueTestEvent(t, accountId, e.id));
    // A claim that comes back empty (the endpoint is at its cap of 4) is slow: the 4 in flight end meanwhile.
    const attempts = t.app.get(WebhookAttemptsService);
    const claim = attempts.claim.bind(attempts);
    const spy = jest.spyOn(attempts, 'claim').mockImplementation(async (...args) => {
      const claimed = await claim(...args);
      if (claimed.length === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      return claimed;
    });
    try {
      await worker.drain();
    } finally {
      spy.mockRestore();
    }
    expect(r.requests.map((q) => q.headers['webhook-id']).sort()).toEqual([...eventIds].sort());
    expect((await attemptsOf(t, e.id)).every((x) => x.status === 'succeeded')).toBe(true);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const target = await receiver();
    const r = await receiver();
    r.reply({ status: 302, headers: { location: target.url } });
    const e = await endpoint(r.url);
    await queueTestEvent(t, accountId, e.id);

    await worker.drain();
    await r.waitFor(1);
    expect(target.requests).toHaveLength(0);
    const [first, next] = await attemptsOf(t, e.id);
    expect(first).toMatchObject({ status: 'failed', responseStatus: 302 });
    expect(next).toMatchObject({ status: 'pending', attempt: 2 });
  });

  it('sends nothing to a deleted or a disabled endpoint', async () => {
    const r = await receiver();
    const db = t.app.get(DataSource);
    const deleted = await endpoint(r.url);
    const disabled = await endpoint(r.url);
    await queueTestEvent(t, accountId, deleted.id);
    await queueTestEvent(t, accountId, disabled.id);
    await db.getRepository(Webhook).delete(deleted.id);
    await db.getRepository(Webhook).update(disabled.id, { enabled: false, disabledReason: 'manual' });

    await worker.drain();
    expect(r.requests).toHaveLength(0);
    expect(await attemptsOf(t, disabled.id)).toMatchObject([{ status: 'pending', attemptedAt: null }]);
  });

  it('re-checks the endpoint just before sending: an attempt claimed before a DELETE or a disable is not sent', async () => {
    const r = await receiver();
    const db = t.app.get(DataSource);
    const attempts = t.app.get(WebhookAttemptsService);
    const e = await endpoint(r.url);
    await queueTestEvent(t, accountId, e.id);
    const now = t.clock.now();
    const claimed = await attempts.claim(now, new Date(now.getTime() + 30_000), 16, 4, new Map());
    const mine = claimed.find((c) => c.webhookId === e.id)!;
    expect(mine).toBeDefined();
    expect(await attempts.begin(mine, now)).toMatchObject({ url: r.url });

    await db.getRepository(Webhook).update(e.id, { enabled: false, disabledReason: 'manual' });
    expect(await attempts.begin(mine, now)).toBeNull();
    await db.getRepository(Webhook).delete(e.id);
    expect(await attempts.begin(mine, now)).toBeNull();
    // Whatever else was claimed goes back: its lease runs out.
    t.clock.advance(31);
    await worker.drain();
    expect(r.requests).toHaveLength(0);
  });

  it('fences the record by the lease: a worker whose lease ran out and was claimed again changes nothing', async () => {
    const r = await receiver();
    const attempts = t.app.get(WebhookAttemptsService);
    const e = await endpoint(r.url);
    await queueTestEvent(t, accountId, e.id);
    const now = t.clock.now();
    const [stale] = (await attempts.claim(now, new Date(now.getTime() + 30_000), 16, 4, new Map())).filter(
      (c) => c.webhookId === e.id,
    );
    // Not claimable again while leased.
    expect(
      (await attempts.claim(now, new Date(now.getTime() + 30_000), 16, 4, new Map())).filter(
        (c) => c.webhookId === e.id,
      ),
    ).toHaveLength(0);
    const later = new Date(now.getTime() + 31_000);
    const [fresh] = (await attempts.claim(later, new Date(later.getTime() + 30_000), 16, 4, new Map())).filter(
      (c) => c.webhookId === e.id,
    );
    expect(fresh.id).toBe(stale.id);

    expect(await attempts.begin(stale, later)).toBeNull();
    await attempts.record(stale, { responseStatus: 500, error: null, durationMs: 1 }, later);
    expect(await attemptsOf(t, e.id)).toMatchObject([{ status: 'pending' }]);
    await attempts.record(fresh, { responseStatus: 200, error: null, durationMs: 1 }, later);
    expect(await attemptsOf(t, e.id)).toMatchObject([{ status: 'succeeded', responseStatus: 200 }]);
  });

  it('signs with the old and the new secret during a rotation, then with the new one only', async () => {
    const r = await receiver();
    const e = await endpoint(r.url);
    const rotated = await rotateEndpointSecret(t, e, new Date(t.clock.now().getTime() + DAY_S * 1000));
    secrets.push(rotated.secret);
    await queueTestEvent(t, accountId, e.id);
    await worker.drain();
    const [during] = await r.waitFor(1);
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    verify(rotated.secret, during);
    verify(rotated.previous, during);

    await t.app
      .get(DataSource)
      .getRepository(Webhook)
      .update(e.id, { previousSecretExpiresAt: new Date(t.clock.now().getTime() - 1000) });
    await queueTestEvent(t, accountId, e.id);
    await worker.drain();
    const [, after] = await r.waitFor(2);
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    verify(rotated.secret, after);
    expect(() => verify(rotated.previous, after)).toThrow();
  });

  it('disables an endpoint that failed for 3 days, as the system, and queues an email to every admin', async () => {
    const r = await receiver();
    r.fallback = { status: 503 };
    const e = await endpoint(r.url);
    const db = t.app.get(DataSource);
    await queueTestEvent(t, accountId, e.id);
    await worker.drain();
    const failingSince = (await endpointRow(t, e.id)).failingSince!;
    expect(failingSince).toBeInstanceOf(Date);

    // Still failing a little under 3 days later: not yet.
    t.clock.advance(3 * DAY_S - 60);
    await queueTestEvent(t, accountId, e.id);
    await worker.drain();
    expect(await endpointRow(t, e.id)).toMatchObject({ enabled: true, failingSince });

    t.clock.advance(60);
    await queueTestEvent(t, accountId, e.id);
    await worker.drain();
    expect(await endpointRow(t, e.id)).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect(await db.getRepository(WebhookDelivery).countBy({ webhookId: e.id, status: 'pending' })).toBe(0);

    const events: { actor_type: string; actor_id: string | null; data: Record<string, unknown> }[] = await db.query(
      `SELECT actor_type, actor_id, data FROM event_logs
        WHERE account_id = $1 AND action = 'webhook.updated' AND data->>'webhookId' = $2`,
      [accountId, e.id],
    );
    expect(events).toEqual([
      {
        actor_type: 'system',
        actor_id: null,
        data: {
          webhookId: e.id,
          changes: ['enabled'],
          host: new URL(r.url).host,
          events: ['*'],
          enabled: false,
          disabledReason: 'failing',
        },
      },
    ]);
    // The text is sealed in the outbox: opened here as the outbox worker opens it.
    const queued: { id: string; payload: Record<string, unknown> }[] = await db.query(
      `SELECT id, payload FROM outbox WHERE account_id = $1 AND payload->>'event' = 'webhook.disabled'`,
      [accountId],
    );
    const mails = queued.filter((m) => openedEmail(t, m).text?.includes(e.id));
    const admins: { email: string }[] = await db.query(
      `SELECT email FROM users WHERE account_id = $1 AND role = 'admin'`,
      [accountId],
    );
    expect(mails.map((m) => m.payload.to).sort()).toEqual(admins.map((a) => a.email).sort());

    // A disabled endpoint receives nothing more.
    const before = r.requests.length;
    await queueTestEvent(t, accountId, e.id);
    t.clock.advance(DAY_S);
    await worker.drain();
    expect(r.requests).toHaveLength(before);
  });

  it('never lets a secret out: not in a delivery (but its signature), the attempts, nor the logs', async () => {
    const requests = receivers.flatMap((r) => r.requests);
    expect(requests.length).toBeGreaterThan(10);
    const rows = await t.app.get(DataSource).query(`SELECT * FROM webhook_deliveries`);
    const keys = secrets.map((s) => s.slice('whsec_'.length));
    for (const key of keys) {
      for (const q of requests) {
        const { ['webhook-signature']: _signature, ...headers } = q.headers;
        expect(JSON.stringify(headers) + q.body).not.toContain(key);
      }
      expect(JSON.stringify(rows)).not.toContain(key);
      expect(t.logs.lines.join('\n')).not.toContain(key);
    }
    expect(JSON.stringify(rows) + t.logs.lines.join('\n')).not.toMatch(/whsec_/);
  });
});

describe(`webhook delivery across restarts and instances (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  const receivers: WebhookReceiver[] = [];
  afterAll(async () => {
    for (const r of receivers) await r.close();
  });

  it('loses nothing to a restart between attempts, and polls when WEBHOOK_WORKER is on', async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    r.reply({ status: 500 });
    const first = await createTestApp(ENV);
    let firstOpen = true;
    let second: TestApp | undefined;
    try {
      const accountId = (await signUp(first)).account.id;
      const e = await insertEndpoint(first, accountId, r.url);
      const eventId = await queueTestEvent(first, accountId, e.id);
      await first.app.get(WebhookDeliveryWorker).drain();
      await first.close();
      firstOpen = false;

      // The same database: the same directory on PGlite, the same TEST_DATABASE_URL on PostgreSQL; this
      // time the worker polls on its own.
      second = await createTestApp({ ...ENV, WEBHOOK_WORKER: 'on', WEBHOOK_POLL_MS: '50', DATA_DIR: first.dataDir });
      second.clock.advance(6);
      const [failed, retried] = await r.waitFor(2);
      expect(retried.headers['webhook-id']).toBe(eventId);
      expect(failed.headers['webhook-id']).toBe(eventId);
      verify(e.secret, retried);
      // drain() also waits for the attempts the poller started.
      await second.app.get(WebhookDeliveryWorker).drain();
      expect(await attemptsOf(second, e.id)).toMatchObject([
        { attempt: 1, status: 'failed', responseStatus: 500 },
        { attempt: 2, status: 'succeeded', responseStatus: 204 },
      ]);
    } finally {
      await second?.close();
      if (firstOpen) await first.close();
    }
  }, 120_000);

  (onPostgres ? it : it.skip)(
    'two instances on one database deliver each attempt exactly once',
    async () => {
      const receiversOf = [await WebhookReceiver.start(), await WebhookReceiver.start(), await WebhookReceiver.start()];
      receivers.push(...receiversOf);
      // Every endpoint answers slowly enough that both instances are busy at once.
      for (const r of receiversOf) r.fallback = { status: 200, delayMs: 20 };
      const a = await createTestApp(ENV);
      const b = await createTestApp(ENV);
      try {
        const accountId = (await signUp(a)).account.id;
        const endpoints = await Promise.all(receiversOf.map((r) => insertEndpoint(a, accountId, r.url)));
        const eventIds: string[] = [];
        for (let i = 0; i < 60; i++) eventIds.push(await queueTestEvent(a, accountId, endpoints[i % 3].id));

        const [byA, byB] = await Promise.all([
          a.app.get(WebhookDeliveryWorker).drain(),
          b.app.get(WebhookDeliveryWorker).drain(),
        ]);
        expect(byA + byB).toBeGreaterThanOrEqual(60);
        expect(byA).toBeGreaterThan(0);
        expect(byB).toBeGreaterThan(0);
        const received = receiversOf.flatMap((r) => r.requests.map((q) => q.headers['webhook-id']));
        expect(received.sort()).toEqual([...eventIds].sort());
        for (const e of endpoints)
          expect((await attemptsOf(a, e.id)).every((x) => x.status === 'succeeded' && x.attempt === 1)).toBe(true);
      } finally {
        await a.close();
        await b.close();
      }
    },
    120_000,
  );
});
