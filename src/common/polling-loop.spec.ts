import { jest } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import { PollingLoop } from './polling-loop.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('PollingLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const logger = () => ({ warn: jest.fn() }) as unknown as Logger & { warn: jest.Mock };

  it('runs the task every interval after the previous run ended, until stopped', async () => {
    let runs = 0;
    const loop = new PollingLoop(logger(), 'round failed', async () => void runs++);
    loop.start(1000);
    expect(runs).toBe(0);
    jest.advanceTimersByTime(1000);
    await flush();
    expect(runs).toBe(1);
    jest.advanceTimersByTime(1000);
    await flush();
    expect(runs).toBe(2);
    loop.stop();
    jest.advanceTimersByTime(5000);
    await flush();
    expect(runs).toBe(2);
  });

  it('logs a failed run and keeps polling', async () => {
    const log = logger();
    let runs = 0;
    const loop = new PollingLoop(log, 'round failed', async () => {
      runs++;
      throw new Error('database went away');
    });
    loop.start(10);
    jest.advanceTimersByTime(10);
    await flush();
    expect(log.warn).toHaveBeenCalledWith('round failed: database went away');
    jest.advanceTimersByTime(10);
    await flush();
    expect(runs).toBe(2);
    loop.stop();
  });

  it('describes the error through the given function', async () => {
    const log = logger();
    const loop = new PollingLoop(
      log,
      'x',
      () => Promise.reject(new Error('secret lk_abc_123')),
      () => 'redacted',
    );
    loop.start(10);
    jest.advanceTimersByTime(10);
    await flush();
    expect(log.warn).toHaveBeenCalledWith('x: redacted');
    loop.stop();
  });
});
