import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** zxcvbn scores only this many code points: its cost grows fast with length. */
export const SCORED_CODE_POINTS = 32;

const require = createRequire(import.meta.url);

// Plain CommonJS run in worker threads: zxcvbn takes tens to hundreds of milliseconds, which must
// never block the event loop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const en = require(workerData.en);
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const r = zxcvbn.check(password, userInputs);
    parentPort.postMessage({ id, score: r.score, warning: r.feedback.warning || null, suggestions: r.feedback.suggestions });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

export interface StrengthResult {
  score: number;
  warning: string | null;
  suggestions: string[];
}

interface Pending {
  resolve: (r: StrengthResult) => void;
  reject: (e: Error) => void;
}

/** A small pool of worker threads running zxcvbn with its common and English dictionaries. */
@Injectable()
export class PasswordStrength implements OnApplicationShutdown {
  private workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly size = Math.max(1, Math.min(2, os.availableParallelism() - 1));

  private spawn() {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        core: require.resolve('@zxcvbn-ts/core'),
        common: require.resolve('@zxcvbn-ts/language-common'),
        en: require.resolve('@zxcvbn-ts/language-en'),
      },
    });
    const slot = { worker, busy: 0 };
    worker.on('message', (m: { id: number; error?: string } & StrengthResult) => {
      slot.busy--;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.error) p.reject(new Error(m.error));
      else p.resolve({ score: m.score, warning: m.warning, suggestions: m.suggestions });
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
      slot.worker.postMessage({ id, password: scored, userInputs });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
