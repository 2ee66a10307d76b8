import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the receiver got it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** performance.now() when its body had arrived. */
  at: number;
}

/** How to answer one request: a status after an optional delay, or never (`hang`, until close()). */
export interface ScriptedReply {
  status?: number;
  delayMs?: number;
  hang?: boolean;
  headers?: Record<string, string>;
}

/**
 * An HTTP server on 127.0.0.1 standing in for a portal's webhook endpoint: it records every request and
 * answers from a script (then with `fallback`, 204 unless changed).
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  fallback: ScriptedReply = { status: 204 };
  private readonly script: ScriptedReply[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** By name: plain http is allowed only for localhost (API.md). */
  get url(): string {
    return `http://localhost:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Answers the next requests with these replies, in order. */
  reply(...replies: ScriptedReply[]): this {
    this.script.push(...replies);
    return this;
  }

  /** Resolves once `count` requests in all have arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 20_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} webhook requests, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests.slice(0, count);
  }

  /** Stops listening and drops every connection, hanging ones included. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      this.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      });
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
      const reply = this.script.shift() ?? this.fallback;
      if (reply.hang) return;
      const answer = () => res.writeHead(reply.status ?? 204, reply.headers).end();
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  }
}
