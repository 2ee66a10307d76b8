/**
 * The worker thread that scores passwords (PasswordStrength starts it), so that scoring never blocks the event loop.
 * It builds the estimator once, warms its dictionary index up, then answers `{ id, password, userInputs }` messages.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { createEstimator, type EstimatorModules, type EstimatorOptions, warmUp } from './strength-estimator.js';

export interface StrengthRequest {
  id: number;
  password: string;
  userInputs: string[];
}

export type StrengthReply =
  { id: number; score: number; warning: string | null; error?: undefined } | { id: number; error: string };

export interface StrengthWorkerData {
  modules: EstimatorModules;
  config: EstimatorOptions;
}

/** Checks run at start, before the first request (see warmUp). */
const WARM_UP_CHECKS = 200;

if (!parentPort) throw new Error('strength-worker runs in a worker thread (PasswordStrength starts it)');
const port = parentPort;
const { modules, config } = workerData as StrengthWorkerData;
// Each package is loaded by a require of its own, so that no module of this thread lists the language packages
// among its children.
const estimate = createEstimator((path) => createRequire(import.meta.url)(path), modules, config);
estimate('warm-up: build the dictionary index before the first request', []);
// And compile its paths (BENCHMARKS.md, "The password check"): about 0.1 s of this thread's time at start.
warmUp(estimate, WARM_UP_CHECKS);
// The estimator keeps what it needs (its index, the keyboard graphs, the translations): the language packages'
// modules, whose arrays hold every word list once more, leave the module cache.
const wordLists = /[\\/]@zxcvbn-ts[\\/](language-[^\\/]+|dictionary-compression)[\\/]/;
const cache = createRequire(import.meta.url).cache;
for (const file of Object.keys(cache)) if (wordLists.test(file)) delete cache[file];
// That is garbage now, with zxcvbn-ts's ranked copies of the lists (see strength-estimator.ts) and what building the
// index left behind, but V8 would keep it resident until the old generation next fills up: it is collected once,
// here. The worker's heap after start-up: 57 MB before, 37 MB after (BENCHMARKS.md, "Issue 15: the password
// worker's memory"); 5.6 MB since the index keeps its words in typed arrays, outside the heap.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');
collect();

port.on('message', ({ id, password, userInputs }: StrengthRequest) => {
  let reply: StrengthReply;
  try {
    const r = estimate(password, userInputs);
    reply = { id, score: r.score, warning: r.warning };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
