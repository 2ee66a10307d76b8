import { describe, expect, it } from '@jest/globals';
import {
  ARGON2_CONCURRENCY,
  ARGON2_OPTIONS,
  Limiter,
  PasswordHasher,
  argon2Concurrency,
  argon2InFlight,
} from './password-hasher.js';

describe('PasswordHasher', () => {
  it("hashes with the contract's argon2id parameters: m = 19 MiB, t = 2, p = 1", async () => {
    expect(ARGON2_OPTIONS.algorithm).toBe(2);
    const hasher = new PasswordHasher();
    const phc = await hasher.hash('velvet quasar lantern mosaic 7241');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(phc, 'velvet quasar lantern mosaic 7241')).resolves.toBe(true);
  });

  it('runs at most ARGON2_CONCURRENCY hashes at once, and all of them', async () => {
    expect(ARGON2_CONCURRENCY).toBeGreaterThanOrEqual(1);
    const hasher = new PasswordHasher();
    const phcs = await Promise.all(Array.from({ length: 5 }, (_, i) => hasher.hash(`velvet quasar lantern ${i}`)));
    expect(new Set(phcs).size).toBe(5);
  });
});

describe('argon2Concurrency', () => {
  it('is one more than the cores, within the libuv pool that runs the hashes', () => {
    expect(argon2Concurrency(1, 4)).toBe(2);
    expect(argon2Concurrency(2, 4)).toBe(3);
    expect(argon2Concurrency(3, 4)).toBe(4);
    expect(argon2Concurrency(8, 4)).toBe(4);
    expect(argon2Concurrency(8, 16)).toBe(9);
    expect(argon2Concurrency(2, 1)).toBe(1);
    expect(argon2Concurrency(0, 0)).toBe(1);
  });
});

describe('argon2InFlight', () => {
  it('queues as many again behind a pool no larger than the hashes that may run, so no pool thread waits', () => {
    expect(argon2InFlight(2, 3)).toBe(6);
    expect(argon2InFlight(2, 2)).toBe(4);
    expect(argon2InFlight(4, 5)).toBe(10);
    expect(argon2InFlight(1, 0)).toBe(2);
  });

  it('hands over only what may run when the pool has spare threads for the file system and DNS', () => {
    expect(argon2InFlight(2, 4)).toBe(3);
    expect(argon2InFlight(1, 4)).toBe(2);
    expect(argon2InFlight(8, 16)).toBe(9);
  });
});

describe('Limiter', () => {
  it('runs at most `size` tasks at once, in arrival order, and passes results and errors through', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) =>
      limiter.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (i === 3) throw new Error('three');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(task));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      1,
      2,
      'three',
      4,
      5,
    ]);
    await expect(limiter.run(async () => 'after')).resolves.toBe('after');
  });
});
