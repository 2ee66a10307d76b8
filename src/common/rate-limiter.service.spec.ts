import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import type { AppConfig, RateLimitName } from '../config/app-config.js';
import { ApiError } from './api-error.js';
import { RateLimiter } from './rate-limiter.service.js';

const limiterWith = (points: number) =>
  new RateLimiter({
    rateLimitsEnabled: true,
    redisUrl: undefined,
    rateLimits: new Proxy({}, { get: () => ({ points, durationSeconds: 60 }) }),
  } as unknown as AppConfig);

const KEYS = [
  ['LOGIN_FAILURES_TARGET_IP', 'acme:a@example.com:1.2.3.4'],
  ['LOGIN_FAILURES_TARGET', 'acme:a@example.com'],
] as const satisfies readonly (readonly [RateLimitName, string])[];

const rateLimited = (p: Promise<unknown>) =>
  expect(p).rejects.toEqual(expect.objectContaining({ status: 429 }) as ApiError);

describe('RateLimiter.countFailureUpFront', () => {
  it('counts every attempt before it is judged, so concurrent ones cannot overrun the limit', async () => {
    const limiter = limiterWith(2);
    await limiter.countFailureUpFront(KEYS);
    await limiter.countFailureUpFront(KEYS);
    await rateLimited(limiter.countFailureUpFront(KEYS));
  });

  it('gives the points back once the attempt succeeded', async () => {
    const limiter = limiterWith(2);
    for (let i = 0; i < 5; i++) {
      const succeeded = await limiter.countFailureUpFront(KEYS);
      await succeeded();
    }
    await limiter.countFailureUpFront(KEYS);
    await limiter.countFailureUpFront(KEYS);
    await rateLimited(limiter.countFailureUpFront(KEYS));
  });

  it('counts nothing when rate limits are off', async () => {
    const limiter = new RateLimiter({ rateLimitsEnabled: false } as unknown as AppConfig);
    for (let i = 0; i < 5; i++) await limiter.countFailureUpFront(KEYS);
  });
});

const INFO = 'redis_version:7.2.0\r\nloading:0\r\n';

/** A TCP server that speaks just enough RESP for ioredis's handshake (when `handshake`), then answers nothing. */
async function stalledRedis(handshake: boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk) => {
      if (!handshake) return;
      buffered += chunk.toString('latin1');
      // Each command is an array of bulk strings: *N\r\n then N times $len\r\n<bytes>\r\n.
      for (;;) {
        const lines = buffered.split('\r\n');
        const argc = Number(lines[0]?.slice(1));
        if (!(lines.length > 2 * argc + 1)) return;
        const name = (lines[2] ?? '').toUpperCase();
        buffered = lines.slice(2 * argc + 1).join('\r\n');
        if (name === 'INFO') socket.write(`$${INFO.length}\r\n${INFO}\r\n`);
        else if (name === 'CLIENT') socket.write('+OK\r\n');
        // Anything else (the limiter's own commands) is left unanswered.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms).unref(),
    ),
  ]);

describe('RateLimiter on a Redis that stops answering', () => {
  for (const handshake of [true, false]) {
    it(`falls back to the in-memory limiter within about a second (${handshake ? 'after' : 'during'} the handshake)`, async () => {
      const redis = await stalledRedis(handshake);
      const limiter = new RateLimiter({
        rateLimitsEnabled: true,
        redisUrl: redis.url,
        rateLimits: new Proxy({}, { get: () => ({ points: 2, durationSeconds: 60 }) }),
      } as unknown as AppConfig);
      try {
        // Let ioredis connect (and, with the handshake, become ready) before the first command.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await within(2000, limiter.consume('LOGIN_IP', 'k'));
        await within(2000, limiter.consume('LOGIN_IP', 'k'));
        await rateLimited(within(2000, limiter.consume('LOGIN_IP', 'k')));
      } finally {
        await limiter.onApplicationShutdown();
        await redis.close();
      }
    });
  }
});

const REDIS = process.env.TEST_REDIS_URL;

(REDIS ? describe : describe.skip)('RateLimiter on a Redis that answers (TEST_REDIS_URL)', () => {
  it('shares one limit between two instances: Redis decides, not the memory limiters', async () => {
    const config = {
      rateLimitsEnabled: true,
      redisUrl: REDIS,
      rateLimits: new Proxy({}, { get: () => ({ points: 2, durationSeconds: 60 }) }),
    } as unknown as AppConfig;
    const [a, b] = [new RateLimiter(config), new RateLimiter(config)];
    const key = `spec:${randomUUID()}`;
    // Until its client is ready a limiter counts in memory (no offline queue): wait for both.
    const ready = (l: RateLimiter) => {
      const redis = (l as unknown as { redis: Redis }).redis;
      return redis.status === 'ready' ? undefined : new Promise((resolve) => redis.once('ready', resolve));
    };
    try {
      await within(3000, Promise.all([ready(a), ready(b)]));
      await within(2000, a.consume('LOGIN_IP', key));
      await within(2000, b.consume('LOGIN_IP', key));
      await rateLimited(within(2000, a.consume('LOGIN_IP', key)));
      await rateLimited(within(2000, b.consume('LOGIN_IP', key)));
    } finally {
      await Promise.all([a.onApplicationShutdown(), b.onApplicationShutdown()]);
    }
  });
});

describe('RATE_LIMITS=off', () => {
  const off = () =>
    new RateLimiter({
      rateLimitsEnabled: false,
      redisUrl: undefined,
      rateLimits: new Proxy({}, { get: () => ({ points: 2, durationSeconds: 60 }) }),
    } as unknown as AppConfig);

  it('turns off the limits of the contract’s table, which an edge proxy can apply', async () => {
    const limiter = off();
    for (let i = 0; i < 5; i++) await limiter.consume('LOGIN_IP', '1.2.3.4');
    expect(await limiter.consumeAll([...KEYS, ...KEYS, ...KEYS])).toBeNull();
  });

  it('keeps a webhook’s test limit, which is the route’s own and which no proxy can count per endpoint', async () => {
    const limiter = off();
    await limiter.consume('WEBHOOK_TEST', 'w1');
    await limiter.consume('WEBHOOK_TEST', 'w1');
    await rateLimited(limiter.consume('WEBHOOK_TEST', 'w1'));
    await limiter.consume('WEBHOOK_TEST', 'w2');
  });
});
