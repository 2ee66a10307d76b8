import { expect } from '@jest/globals';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { parseToken } from '../../src/auth/token-format.js';
import type { TestApp } from './app.js';

/** Anything shaped like a secret the service issues. */
const TOKEN = /lk_(?:pat|ses|rst)_[0-9A-Za-z]{49}/g;
/** Responses longer than this are not kept whole (a secret never needs more to be found). */
const MAX_BODY = 1_000_000;

export interface Leak {
  secret: string;
  where: string;
}

export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  body: string;
}

/**
 * Collects every secret a suite sees issued — tokens found in successful responses, and the
 * passwords the suite registers — and then looks for them where they must never be: the service's
 * logs, event data and error bodies.
 */
export class SecretLedger {
  readonly secrets = new Set<string>();
  readonly errorBodies: ObservedResponse[] = [];
  responses = 0;

  /** Registers secrets the suite made up itself (passwords). */
  add(...secrets: string[]): void {
    for (const s of secrets) this.secrets.add(s);
  }

  /** Records one response: tokens in a 2xx body are issued secrets; a 4xx/5xx body is kept for the scan. */
  observe(r: ObservedResponse): void {
    this.responses++;
    // Only a token with a valid checksum is one the service issued: a token-shaped name a client chose
    // (the fuzz suite sends `lk_pat_AAA…`) comes back in the body and the event log, and is no secret.
    if (r.status < 300) {
      for (const token of r.body.match(TOKEN) ?? []) if (parseToken(token)) this.secrets.add(token);
    } else this.errorBodies.push(r);
  }

  /**
   * Sees every response `server` sends (in-process apps): wraps `write`/`end` before Express gets
   * the request, so nothing depends on the test remembering to record.
   */
  watch(server: Server): void {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_BODY) return;
        const buf = Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
        size += buf.length;
        chunks.push(buf);
      };
      const write = res.write.bind(res) as (...a: unknown[]) => boolean;
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.write = ((...args: unknown[]) => {
        keep(args[0], args[1]);
        return write(...args);
      }) as ServerResponse['write'];
      res.end = ((...args: unknown[]) => {
        keep(args[0], args[1]);
        return end(...args);
      }) as ServerResponse['end'];
      res.once('finish', () =>
        this.observe({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0],
          status: res.statusCode,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
  }

  /** Every place a registered secret appears in `logs`, in `events` (any rows) or in the error bodies seen. */
  leaks({ logs = [], events = [] }: { logs?: string[]; events?: unknown[] }): Leak[] {
    const found: Leak[] = [];
    const scan = (text: string, where: string) => {
      for (const s of this.secrets) if (text.includes(s)) found.push({ secret: redact(s), where });
    };
    logs.forEach((line, i) => scan(line, `log line ${i + 1}: ${line.slice(0, 160)}`));
    events.forEach((e, i) => scan(JSON.stringify(e), `row ${i + 1}: ${JSON.stringify(e).slice(0, 160)}`));
    for (const r of this.errorBodies) scan(r.body, `${r.status} body of ${r.method} ${r.path}`);
    // Nothing token-shaped belongs in a log line at all, issued by this suite or not.
    logs.forEach((line, i) => {
      for (const t of line.match(TOKEN) ?? [])
        found.push({ secret: redact(t), where: `token-shaped string in log line ${i + 1}` });
    });
    return found;
  }
}

const redact = (s: string) => `${s.slice(0, 10)}…(${s.length} chars)`;

/** Every event of the account, through the API (newest first), at most `max`. */
export async function fetchAllEvents(
  get: (route: string) => Promise<{ status: number; body: unknown }>,
  max = 2000,
): Promise<unknown[]> {
  const events: unknown[] = [];
  for (let page = 1; events.length < max; page++) {
    const res = await get(`/v3/event-logs?limit=100&page=${page}`);
    if (res.status !== 200) throw new Error(`event-logs: ${res.status} ${JSON.stringify(res.body)}`);
    const items = res.body as unknown[];
    events.push(...items);
    if (items.length < 100) break;
  }
  return events;
}

/** The rows already in the database when a suite starts: on a shared database, other suites' rows are theirs to check. */
interface Baseline {
  events: string[];
  outbox: string[];
}
const baselines = new WeakMap<SecretLedger, Baseline>();

/** A ledger that sees every response of the in-process app `t`, from now on. */
export async function guardSecrets(t: TestApp): Promise<SecretLedger> {
  const ledger = new SecretLedger();
  const db = t.app.get(DataSource);
  const ids = async (table: string) =>
    ((await db.query(`SELECT id FROM ${table}`)) as { id: string }[]).map((r) => r.id);
  baselines.set(ledger, { events: await ids('event_logs'), outbox: await ids('outbox') });
  ledger.watch(t.http as unknown as Server);
  return ledger;
}

/**
 * Where the secrets `ledger` saw issued turned up: `t`'s logs, the event rows and the sent (or
 * abandoned) outbox rows written since the ledger was made, and the error bodies.
 */
export async function leaksIn(t: TestApp, ledger: SecretLedger): Promise<Leak[]> {
  const db = t.app.get(DataSource);
  const before = baselines.get(ledger) ?? { events: [], outbox: [] };
  const events: unknown[] = await db.query(`SELECT * FROM event_logs WHERE NOT (id = ANY($1::uuid[]))`, [
    before.events,
  ]);
  const outbox: unknown[] = await db.query(
    `SELECT id, kind, status, payload, last_error FROM outbox WHERE status <> 'pending' AND NOT (id = ANY($1::uuid[]))`,
    [before.outbox],
  );
  return ledger.leaks({ logs: t.logs.lines, events: [...events, ...outbox] });
}

/** For afterAll: closes `t` whatever happens, then fails the suite if a secret leaked. */
export async function closeWithoutLeaks(t: TestApp | undefined, ledger: SecretLedger | undefined): Promise<void> {
  if (!t) return;
  let leaks: Leak[] = [];
  try {
    if (ledger) leaks = await leaksIn(t, ledger);
  } finally {
    await t.close();
  }
  expect(leaks).toEqual([]);
}
