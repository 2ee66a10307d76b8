/**
 * The worker thread that scores passwords (PasswordStrength starts it), so that scoring never blocks the event loop.
 * It builds the estimator once, warms its dictionary index up, then answers `{ id, password, userInputs }` messages.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { createEstimator, type EstimatorModules, type EstimatorOptions } from './strength-estimator.js';

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

if (!parentPort) throw new Error('strength-worker runs in a worker thread (PasswordStrength starts it)');
const port = parentPort;
const { modules, config } = workerData as StrengthWorkerData;
const estimate = createEstimator(createRequire(import.meta.url), modules, config);
estimate('warm-up: build the dictionary index before the first request', []);

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
