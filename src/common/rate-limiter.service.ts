import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig, type RateLimitName } from '../config/app-config.js';
import { Errors } from './api-error.js';

/**
 * The contract's rate limits, in Redis when REDIS_URL is set (shared by every instance) and in
 * memory otherwise. If Redis stops answering, each instance falls back to its own memory limiter
 * rather than failing requests.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiters = new Map<RateLimitName, RateLimiterAbstract>();
  private readonly redis: Redis | undefined;

  constructor(private readonly config: AppConfig) {
    if (config.rateLimitsEnabled && config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        lazyConnect: false,
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

  /** Counts one request against the limit; 429 RATE_LIMITED with Retry-After once it is spent. */
  async consume(name: RateLimitName, key: string): Promise<void> {
    if (!this.config.rateLimitsEnabled) return;
    try {
      await this.limiter(name).consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw Errors.rateLimited(res.msBeforeNext / 1000);
      throw res;
    }
  }

  /**
   * Gives back a point taken by consume(): limits on failures count every attempt up front, so
   * concurrent attempts cannot slip past the limit, and refund the ones that succeeded.
   */
  async refund(name: RateLimitName, key: string): Promise<void> {
    if (!this.config.rateLimitsEnabled) return;
    await this.limiter(name)
      .reward(key, 1)
      .catch(() => undefined);
  }

  /** Counts a failure, never throwing. */
  async penalize(name: RateLimitName, key: string): Promise<void> {
    if (!this.config.rateLimitsEnabled) return;
    await this.limiter(name)
      .penalty(key)
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
