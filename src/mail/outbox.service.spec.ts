import { describe, expect, it } from '@jest/globals';
import { describeError } from '../common/redaction.js';
import { retryDelayMs } from './outbox.service.js';

describe('retryDelayMs', () => {
  it('grows exponentially with jitter in the upper half', () => {
    expect(retryDelayMs(1, 0)).toBe(5_000);
    expect(retryDelayMs(1, 1)).toBe(10_000);
    expect(retryDelayMs(2, 0)).toBe(10_000);
    expect(retryDelayMs(4, 1)).toBe(80_000);
  });

  it('is capped at an hour', () => {
    expect(retryDelayMs(30, 1)).toBe(3_600_000);
    expect(retryDelayMs(30, 0)).toBe(1_800_000);
  });
});

describe('describeError', () => {
  it('keeps one bounded line without anything token-shaped', () => {
    const err = new Error(`550 rejected\r\n lk_rst_4fJ9aQ2zXbYc1 in ${'x'.repeat(1000)}`);
    const line = describeError(err);
    expect(line).not.toContain('lk_rst_4fJ9aQ2zXbYc1');
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/[\r\n]/);
    expect(line.length).toBeLessThanOrEqual(500);
  });

  it('redacts a webhook signing secret', () => {
    const line = describeError(new Error('refused whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+/= here'));
    expect(line).toBe('refused [redacted] here');
  });
});
