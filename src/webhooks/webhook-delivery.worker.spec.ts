import { describe, expect, it } from '@jest/globals';
import { RETRY_DELAYS_MS, MAX_ATTEMPTS } from './webhook-attempts.service.js';
import { deliveryBody } from './webhook-delivery.worker.js';

describe('deliveryBody', () => {
  it('is { type, timestamp, data } with the event-log entry, without its ip and user agent', () => {
    const body = deliveryBody({
      id: 'e1',
      action: 'user.passwordReset',
      actor: { type: 'anonymous', id: null },
      targetUserId: 'u1',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      createdAt: '2026-01-02T03:04:05.678Z',
      data: { origin: 'portal' },
    });
    expect(JSON.parse(body)).toEqual({
      type: 'user.passwordReset',
      timestamp: '2026-01-02T03:04:05.678Z',
      data: {
        id: 'e1',
        action: 'user.passwordReset',
        actor: { type: 'anonymous', id: null },
        targetUserId: 'u1',
        createdAt: '2026-01-02T03:04:05.678Z',
        data: { origin: 'portal' },
      },
    });
  });
});

describe('the retry schedule', () => {
  it('waits about 5 s, 30 s, 2 min, 10 min, 30 min, 2 h, 6 h and 12 h: 9 attempts in all', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 1000)).toEqual([5, 30, 120, 600, 1800, 7200, 21_600, 43_200]);
    expect(MAX_ATTEMPTS).toBe(9);
  });
});
