import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import { isProcessablePassword } from './password-policy.service.js';

/** OWASP's argon2id floor: m = 19 MiB, t = 2, p = 1. Hashing runs on libuv's pool, off the event loop. */
export const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * How many argon2id computations run at once: one more than the cores, so that a core never waits for the event loop
 * to start the next hash after one ends (with one per core, 2 % of a 2-core machine stayed idle under `login` and
 * `reset`), and never more than libuv's pool, which runs them. Each holds its 19 MiB while it runs, so a bound is
 * kept rather than the whole pool: on 2 cores it is 3 of the pool's 4 threads, and the fourth stays free for the
 * file system and DNS work that shares the pool (BENCHMARKS.md).
 */
export function argon2Concurrency(cores: number, poolSize: number): number {
  return Math.max(1, Math.min(cores + 1, poolSize));
}

/**
 * How many hashes are handed to libuv at once. With a pool no larger than the hashes that may run (UV_THREADPOOL_SIZE
 * set to one more than the cores, as the start scripts do), the pool itself bounds them, and as many again wait in its
 * queue: a pool thread that ends a hash starts the next one at once, instead of sleeping until the event loop hands it
 * over (a wake-up costs CPU on both sides; about 5 % of a hash's CPU on a 2-core VM, BENCHMARKS.md). With a larger
 * pool, whose spare threads the file system and DNS need, only `argon2Concurrency` are handed over.
 */
export function argon2InFlight(cores: number, poolSize: number): number {
  return poolSize <= cores + 1 ? 2 * Math.max(1, poolSize) : argon2Concurrency(cores, poolSize);
}

const CORES = availableParallelism();
const POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;
export const ARGON2_CONCURRENCY = argon2Concurrency(CORES, POOL_SIZE);
export const ARGON2_IN_FLIGHT = argon2InFlight(CORES, POOL_SIZE);

/** A counting semaphore: run() starts fn when fewer than `size` are running, in arrival order. */
export class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const limiter = new Limiter(ARGON2_IN_FLIGHT);
const hash = (password: string, options: typeof ARGON2_OPTIONS) => limiter.run(() => argon2Hash(password, options));
const verify = (hashed: string, password: string) => limiter.run(() => argon2Verify(hashed, password));

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the user is unknown, so both paths cost one argon2id verification. */
  private dummyHash!: string;

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hash('latchkey-timing-equaliser', ARGON2_OPTIONS);
  }

  /** Hashes the NFC form: the same password typed on any keyboard verifies. */
  hash(password: string): Promise<string> {
    return hash(password.normalize('NFC'), ARGON2_OPTIONS);
  }

  /**
   * Constant work whether or not there is a hash to check. A password no policy accepts (too long,
   * or a lone surrogate) is wrong without being normalised or hashed.
   */
  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    if (!isProcessablePassword(password)) return false;
    if (!passwordHash) {
      await verify(this.dummyHash, password.normalize('NFC')).catch(() => false);
      return false;
    }
    try {
      return await verify(passwordHash, password.normalize('NFC'));
    } catch {
      return false;
    }
  }
}
