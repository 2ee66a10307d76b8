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
