import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type EstimatorModules, type EstimatorOptions, L33T_MAX_SUBSTITUTIONS } from './strength-estimator.js';
import type { StrengthReply, StrengthRequest, StrengthWorkerData } from './strength-worker.js';

/** zxcvbn scores only this many code points: its cost grows fast with length. */
export const SCORED_CODE_POINTS = 32;

const require = createRequire(import.meta.url);

/** The worker thread's young generation, in MiB (BENCHMARKS.md, _Memory_). */
export const WORKER_YOUNG_GENERATION_MB = 6;

/**
 * The worker's entry: strength-worker.js beside this file once compiled (`node dist/...`). From the TypeScript
 * sources (Jest's ts-jest, where no .js exists), test/ts-worker.mjs starts strength-worker.ts, transpiling it on load.
 */
function workerEntry(): { file: URL; entry?: string } {
  const compiled = new URL('./strength-worker.js', import.meta.url);
  if (existsSync(compiled)) return { file: compiled };
  return {
    file: new URL('../../test/ts-worker.mjs', import.meta.url),
    entry: new URL('./strength-worker.ts', import.meta.url).href,
  };
}

function resolveOrNull(id: string): string | null {
  try {
    return require.resolve(id);
  } catch {
    return null;
  }
}

function scoringModules(): EstimatorModules['scoring'] {
  const estimate = resolveOrNull('@zxcvbn-ts/core/dist/scoring/estimate.cjs');
  const dictionary = resolveOrNull('@zxcvbn-ts/core/dist/matcher/dictionary/scoring.cjs');
  const constants = resolveOrNull('@zxcvbn-ts/core/dist/data/const.cjs');
  const utils = resolveOrNull('@zxcvbn-ts/core/dist/scoring/utils.cjs');
  return estimate && dictionary && constants && utils ? { estimate, dictionary, constants, utils } : null;
}

/** Where the estimator's packages are, for a worker thread or a benchmark. */
export function estimatorModules(): EstimatorModules {
  return {
    core: require.resolve('@zxcvbn-ts/core'),
    dictionaryMatcher: resolveOrNull('@zxcvbn-ts/core/dist/matcher/dictionary/matching.cjs'),
    scoring: scoringModules(),
    common: require.resolve('@zxcvbn-ts/language-common'),
    en: require.resolve('@zxcvbn-ts/language-en'),
  };
}

/** The configuration the service runs (README, BENCHMARKS.md). */
export const ESTIMATOR_OPTIONS: EstimatorOptions = { l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS, fast: true };

export interface StrengthResult {
  score: number;
  warning: string | null;
}

interface Pending {
  resolve: (r: StrengthResult) => void;
  reject: (e: Error) => void;
}

/** A worker thread (strength-worker.ts) running zxcvbn-ts with its common and English dictionaries (strength-estimator.ts). */
@Injectable()
export class PasswordStrength implements OnApplicationBootstrap, OnApplicationShutdown {
  private workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /**
   * One thread: a check costs 1–2 ms of CPU, a tenth of the argon2id hash every route that scores a password
   * also pays, so one thread keeps up with what the libuv pool can hash on any core count.
   */
  private readonly size = 1;

  private spawn() {
    const { file, entry } = workerEntry();
    const data: StrengthWorkerData = { modules: estimatorModules(), config: ESTIMATOR_OPTIONS };
    const worker = new Worker(file, {
      workerData: { ...data, entry },
      // A check allocates little and briefly: V8's default young generation (up to 3 × 16 MiB) would only hold
      // garbage resident. The dictionary index (about 5 MiB) lives outside the heap, in typed arrays.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const slot = { worker, busy: 0 };
    worker.on('message', (m: StrengthReply) => {
      slot.busy--;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve({ score: m.score, warning: m.warning });
    });
    worker.on('error', (err) => {
      this.workers = this.workers.filter((w) => w !== slot);
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(err);
      }
    });
    worker.unref();
    this.workers.push(slot);
    return slot;
  }

  private pick() {
    if (this.workers.length < this.size) {
      const idle = this.workers.find((w) => w.busy === 0);
      if (idle) return idle;
      return this.spawn();
    }
    return this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  /** Scores the first 32 code points of the password, taking the user's own words into account. */
  score(password: string, userInputs: string[] = []): Promise<StrengthResult> {
    const scored = Array.from(password).slice(0, SCORED_CODE_POINTS).join('');
    const slot = this.pick();
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: StrengthRequest = { id, password: scored, userInputs };
      slot.worker.postMessage(request);
    });
  }

  /** The thread builds its dictionary index when it starts (about a second): before the first request, not in it. */
  onApplicationBootstrap(): void {
    if (this.workers.length === 0) this.spawn();
  }

  async onApplicationShutdown(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
