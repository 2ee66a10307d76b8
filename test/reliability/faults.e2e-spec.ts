import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DataSource } from 'typeorm';
import { STRONG_PASSWORD } from '../helpers/factories.js';
import { PgCluster, pgClusterMissing } from '../helpers/pg-cluster.js';
import { SecretLedger } from '../helpers/secrets.js';
import {
  builtServiceMissing,
  call,
  type Exit,
  type JsonResponse,
  probe,
  type ServiceProcess,
  startService,
  waitUntil,
} from '../helpers/service-process.js';

const missing =
  builtServiceMissing() ??
  pgClusterMissing() ??
  (process.env.TEST_DATABASE_URL ? null : 'TEST_DATABASE_URL is not set (these run in the PostgreSQL pass)');

/** The service's statement timeout in this suite: a blocked query must turn into a 503 about this fast. */
const STATEMENT_TIMEOUT_MS = 1500;
/** Logins held in flight when SIGTERM arrives (fewer than the pool's connections). */
const IN_FLIGHT = 8;
/** No request may take longer than this while the database is down or blocked. */
const BOUND_MS = 7000;

/**
 * Faults on a PostgreSQL cluster of the suite's own (never the shared one): connections killed,
 * the server stopped cleanly or crashed and started again, a table locked past the statement
 * timeout, and SIGTERM under load. While the database is away, readiness is 503 and requests fail
 * fast with 503 in the error shape; once it is back the same process serves again by itself.
 */
if (missing) process.stdout.write(`test/reliability/faults: skipped, ${missing}\n`);

(missing ? describe.skip : describe)(`faults${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let cluster: PgCluster;
  let svc: ServiceProcess;
  let session: string;
  let userId: string;
  const ledger = new SecretLedger();
  ledger.add(STRONG_PASSWORD);
  const alias = `faults-${randomUUID().slice(0, 8)}`;

  async function req(method: string, route: string, options: Parameters<typeof call>[3] = {}): Promise<JsonResponse> {
    const res = await call(svc, method, route, { timeoutMs: BOUND_MS + 3000, ...options });
    ledger.observe({ method, path: route, status: res.status, body: JSON.stringify(res.body) });
    return res;
  }

  /** Requests of each kind the service serves: a read, a login (argon2 + insert) and a write. */
  const mixed = () => [
    req('GET', `/v3/users/${userId}`, { token: session }),
    req('GET', '/v3/users', { token: session }),
    req('POST', '/v3/accounts/login', {
      body: { accountAlias: alias, email: `owner@${alias}.test`, password: STRONG_PASSWORD },
    }),
    req('POST', '/v3/accounts/reset-password-request', { body: { accountAlias: alias, email: `owner@${alias}.test` } }),
    req('PATCH', `/v3/users/${userId}`, { token: session, body: { company: `c-${Date.now()}` } }),
  ];

  /** Every response is a success or a 503 SERVICE_UNAVAILABLE with Retry-After, within the bound. */
  function expectSuccessOr503(results: JsonResponse[]): { ok: number; unavailable: number } {
    for (const r of results) {
      expect(r.ms).toBeLessThan(BOUND_MS);
      if (r.status < 300) continue;
      expect({ status: r.status, body: r.body }).toEqual({
        status: 503,
        body: {
          statusCode: 503,
          error: 'Service Unavailable',
          message: expect.any(String),
          code: 'SERVICE_UNAVAILABLE',
        },
      });
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    return {
      ok: results.filter((r) => r.status < 300).length,
      unavailable: results.filter((r) => r.status === 503).length,
    };
  }

  /** Polls until readiness is 200 and every kind of request succeeds; returns how long it took. */
  async function recovered(): Promise<number> {
    return waitUntil(
      async () =>
        (await probe(`${svc.url}/health/ready`)) === 200 && (await Promise.all(mixed())).every((r) => r.status < 300),
      30_000,
    );
  }

  beforeAll(async () => {
    cluster = await PgCluster.create();
    svc = await startService({
      name: 'faults',
      waitReady: true,
      env: {
        DATABASE_URL: cluster.url(),
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DB_POOL_SIZE: '10',
        OUTBOX_POLL_MS: '200',
        RATE_LIMITS: 'off',
      },
    });
    const signed = await req('POST', '/v3/accounts', {
      body: {
        name: 'Faults',
        alias,
        email: `owner@${alias}.test`,
        password: STRONG_PASSWORD,
        firstName: 'Fay',
        lastName: 'Ult',
      },
    });
    expect(signed.status).toBe(201);
    session = signed.body.accessToken as string;
    userId = (signed.body.user as { id: string }).id;
  }, 180_000);

  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await cluster?.destroy();
    if (svc) expect(ledger.leaks({ logs: svc.output })).toEqual([]);
  }, 60_000);

  it('connections killed under it (pg_terminate_backend): 503 or success, never 500, and it recovers by itself', async () => {
    expectSuccessOr503(await Promise.all([...mixed(), ...mixed()]));
    const killed = await cluster.terminateConnections();
    expect(killed).toBeGreaterThan(0);
    const during = expectSuccessOr503(await Promise.all([...mixed(), ...mixed(), ...mixed()]));
    const ms = await recovered();
    process.stdout.write(
      `faults: killed ${killed} connections; next 15 requests: ${during.ok} ok, ${during.unavailable} × 503; recovered in ${ms} ms\n`,
    );
    expect(svc.alive()).toBe(true);
  }, 60_000);

  it.each(['fast', 'immediate'] as const)(
    'database stopped (pg_ctl stop -m %s): ready 503, requests 503 fast, liveness 200; started again: serves by itself',
    async (mode) => {
      await cluster.stop(mode);
      const down: JsonResponse[] = [];
      for (let round = 0; round < 3; round++) {
        const ready = await req('GET', '/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.ms).toBeLessThan(3000);
        expect((await req('GET', '/health')).status).toBe(200);
        down.push(...(await Promise.all(mixed())));
      }
      const counts = expectSuccessOr503(down);
      // Every one of these routes needs the database (the reset request queues its work there).
      expect(counts.ok).toBe(0);
      const slowest = Math.max(...down.map((r) => r.ms));
      await cluster.start();
      const ms = await recovered();
      process.stdout.write(
        `faults: stop -m ${mode}: ${down.length} requests while down, all 503, slowest ${slowest} ms; recovered ${ms} ms after start\n`,
      );
      expect(svc.alive()).toBe(true);
    },
    90_000,
  );

  it(`a table locked past the statement timeout (${STATEMENT_TIMEOUT_MS} ms): 503 within the bound, then normal again`, async () => {
    const admin = await new DataSource({ type: 'postgres', url: cluster.url(), poolSize: 1 }).initialize();
    const runner = admin.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const blocked = await req('GET', `/v3/users/${userId}`, { token: session });
      expect(blocked.status).toBe(503);
      expect(blocked.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(blocked.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 3000);
      process.stdout.write(`faults: locked table: 503 after ${blocked.ms} ms\n`);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await admin.destroy();
    }
    expect((await req('GET', `/v3/users/${userId}`, { token: session })).status).toBe(200);
  }, 60_000);

  it('a connection killed in the middle of a query: that request is 503, the next ones succeed', async () => {
    const admin = await new DataSource({ type: 'postgres', url: cluster.url(), poolSize: 1 }).initialize();
    const runner = admin.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const blocked = req('GET', `/v3/users/${userId}`, { token: session });
      await new Promise((r) => setTimeout(r, 300));
      expect(await cluster.terminateConnections('latchkey')).toBeGreaterThan(0);
      const res = await blocked;
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await admin.destroy();
    }
    await recovered();
  }, 60_000);

  it(`SIGTERM under load: ${IN_FLIGHT} logins in flight finish with 200, nothing is half-answered, exit code 0`, async () => {
    // Holding the sessions table keeps the logins inside their handlers, provably in flight.
    const admin = await new DataSource({ type: 'postgres', url: cluster.url(), poolSize: 1 }).initialize();
    const runner = admin.createQueryRunner();
    let exit: Exit | undefined;
    const loginBody = { accountAlias: alias, email: `owner@${alias}.test`, password: STRONG_PASSWORD };
    const inFlight: Promise<Outcome>[] = [];
    const stream: Promise<Outcome>[] = [];
    let signalledAt = 0;
    try {
      await runner.startTransaction();
      await runner.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      for (let i = 0; i < IN_FLIGHT; i++) inFlight.push(oneShot(svc.url, 'POST', '/v3/accounts/login', loginBody));
      // Each login waits: the first for the table, the others for the user's row, which the first holds (a login
      // stamps it before it inserts its session). Other work on the row (the outbox worker issuing a reset token
      // an earlier case asked for) may wait too, and is not counted.
      await waitUntil(async () => {
        const rows = await cluster.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE application_name = 'latchkey' AND wait_event_type = 'Lock'
              AND (query LIKE 'UPDATE users SET last_login_at%' OR query LIKE 'INSERT INTO sessions%')`,
        );
        return Number(rows[0].n) === IN_FLIGHT;
      }, 20_000);
      // A steady stream of cheap requests around the signal.
      let streaming = true;
      const streamer = (async () => {
        while (streaming) {
          stream.push(oneShot(svc.url, 'GET', '/health'));
          await new Promise((r) => setTimeout(r, 15));
        }
      })();
      await new Promise((r) => setTimeout(r, 100));
      signalledAt = Date.now();
      const stopping = svc.stop('SIGTERM', 30_000);
      await new Promise((r) => setTimeout(r, 500));
      // Still draining: it waits for the requests in flight rather than exiting under them.
      expect(svc.alive()).toBe(true);
      streaming = false;
      await streamer;
      await runner.rollbackTransaction();
      exit = await stopping;
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await admin.destroy();
    }

    expect(exit).toEqual({ code: 0, signal: null });
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.kind)).toEqual(Array(IN_FLIGHT).fill('200'));
    for (const r of results) {
      expect(r.at).toBeGreaterThan(signalledAt);
      expect(JSON.parse(r.body!).accessToken).toMatch(/^lk_ses_/);
      ledger.observe({ method: 'POST', path: '/v3/accounts/login', status: 200, body: r.body! });
    }
    const tally: Record<string, number> = {};
    for (const r of await Promise.all(stream)) tally[r.kind] = (tally[r.kind] ?? 0) + 1;
    // Each streamed request is answered whole, or its connection is refused or closed before any answer.
    expect(Object.keys(tally).filter((k) => !['200', 'refused', 'closed before answer'].includes(k))).toEqual([]);
    process.stdout.write(
      `faults: SIGTERM with ${IN_FLIGHT} logins in flight (all 200, after the signal) and ${stream.length} streamed requests ${JSON.stringify(tally)}; exit ${exit?.code}\n`,
    );
  }, 90_000);
});

interface Outcome {
  /** The status, `refused`, `closed before answer`, or `half-answered`. */
  kind: string;
  body?: string;
  at: number;
}

/** One request on a connection of its own, so that no keep-alive connection outlives it. */
function oneShot(base: string, method: string, route: string, body?: unknown): Promise<Outcome> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<Outcome>((resolve) => {
    let answered = false;
    const r = http.request(
      `${base}${route}`,
      { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ kind: String(res.statusCode), body: text, at: Date.now() }));
        res.on('error', () => resolve({ kind: 'half-answered', at: Date.now() }));
      },
    );
    r.on('error', (e: NodeJS.ErrnoException) => {
      const kind = answered ? 'half-answered' : e.code === 'ECONNREFUSED' ? 'refused' : 'closed before answer';
      resolve({ kind, at: Date.now() });
    });
    r.end(payload);
  });
}
