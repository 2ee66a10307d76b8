import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ALWAYS_ON_RATE_LIMITS, AppConfig, type RateLimitName } from '../config/app-config.js';
import { type ApiError, Errors } from './api-error.js';

/** How long a Redis command may go unanswered before the memory limiter decides instead. */
const REDIS_TIMEOUT_MS = 1000;

/**
 * The contract's rate limits, in Redis when REDIS_URL is set (shared by every instance) and in
 * memory otherwise. If Redis stops answering, each instance falls back to its own memory limiter
 * rather than failing requests. RATE_LIMITS=off turns off all but ALWAYS_ON_RATE_LIMITS.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiters = new Map<RateLimitName, RateLimiterAbstract>();
  private readonly redis: Redis | undefined;

  constructor(private readonly config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        // While not connected, commands fail at once (and the memory limiter decides) rather than queue.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        // A Redis that holds the connection open but stops answering: each command fails after a second
        // (so the memory limiter decides), and the silent socket is dropped and reconnected rather than
        // piling up unanswered commands. Commands that were never answered are not replayed on the new
        // connection: their callers have already been decided by the memory limiter.
        commandTimeout: REDIS_TIMEOUT_MS,
        socketTimeout: REDIS_TIMEOUT_MS,
        autoResendUnfulfilledCommands: false,
        // With RATE_LIMITS=off only the always-on limits use it: connected on their first use.
        lazyConnect: !config.rateLimitsEnabled,
      });
      this.redis.on('error', (err) => this.logger.warn(`Redis: ${err.message}`));
    }
  }

  private limiter(name: RateLimitName): RateLimiterAbstract {
    let l = this.limiters.get(name);
    if (!l) {
      const { points, durationSeconds } = this.config.rateLimits[name];
      const opts = { keyPrefix: `lk:rl:${name}`, points, duration: durationSeconds };
      const memory = new RateLimiterMemory(opts);
      l = this.redis ? new RateLimiterRedis({ ...opts, storeClient: this.redis, insuranceLimiter: memory }) : memory;
      this.limiters.set(name, l);
    }
    return l;
  }

  private enabled(name: RateLimitName): boolean {
    return this.config.rateLimitsEnabled || ALWAYS_ON_RATE_LIMITS.has(name);
  }

  /** Counts one request against the limit; 429 RATE_LIMITED with Retry-After once it is spent. */
  async consume(name: RateLimitName, key: string): Promise<void> {
    if (!this.enabled(name)) return;
    try {
      await this.limiter(name).consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw Errors.rateLimited(res.msBeforeNext / 1000);
      throw res;
    }
  }

  /**
   * Counts one event against every key at once (each key is counted, even when another is spent)
   * and returns 429 RATE_LIMITED, with the longest Retry-After, when any of them is spent; else
   * null. For limits on failures, counted once the failure is known.
   */
  async consumeAll(keys: readonly (readonly [RateLimitName, string])[]): Promise<ApiError | null> {
    const counted = keys.filter(([name]) => this.enabled(name));
    if (counted.length === 0) return null;
    const results = await Promise.allSettled(counted.map(([name, key]) => this.limiter(name).consume(key)));
    let waitMs = -1;
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
      waitMs = Math.max(waitMs, r.reason.msBeforeNext);
    }
    return waitMs < 0 ? null : Errors.rateLimited(waitMs / 1000);
  }

  /**
   * For limits on failures: counts this attempt as a failure against every key before it is judged
   * (429 RATE_LIMITED once a key is spent), so concurrent attempts cannot slip past the limit. Call the
   * function it returns once the attempt has succeeded, to give the points back; a failed attempt keeps them.
   */
  async countFailureUpFront(keys: readonly (readonly [RateLimitName, string])[]): Promise<() => Promise<void>> {
    for (const [name, key] of keys) await this.consume(name, key);
    return async () => {
      await Promise.all(keys.map(([name, key]) => this.refund(name, key)));
    };
  }

  /** Gives back a point taken by consume(); a limiter that cannot be reached keeps it. */
  private async refund(name: RateLimitName, key: string): Promise<void> {
    if (!this.enabled(name)) return;
    await this.limiter(name)
      .reward(key, 1)
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
