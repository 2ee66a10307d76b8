// Micro-benchmark of the password strength check over inputs the length rules accept: p50 / p99 / max of each
// check's time in the thread that runs it (wall clock: run it on an otherwise idle machine), and the mean CPU per
// check of the whole process (process.cpuUsage over the run: every thread, garbage collection and V8's compiler
// included). Per-check percentiles are not taken from process.cpuUsage: Linux adds the CPU time of the process's
// other threads (V8's garbage collector and compiler) in steps of a scheduler tick (4 ms here), so about 1 % of
// checks of 0.4 ms would read 4 ms. It runs the estimator the service's worker thread runs
// (dist/src/passwords/strength-estimator.js with the service's configuration), in this thread, on the first 32 code
// points as the service scores them.
//
//   npm run build && npm run bench:password              # the service's configuration, 2,000 checks per kind
//   npm run bench:password -- --worker                     # through the service's worker thread, with its Node flags
//   node bench/password-check.mjs --samples 200 --compare  # and zxcvbn-ts at its defaults beside it
//
// The budget (API.md, Users, Passwords): a tenth of one argon2id hash, about 2 ms, at p99. On a shared machine
// run it twice: CPU time per check rises with other load (caches, frequency), so compare runs made together.
import { hash } from '@node-rs/argon2';
import { randomBytes, randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ARGON2_OPTIONS, startProdFlags } from './common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '2000' },
    compare: { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const samples = Number(values.samples);

// --worker measures what the service runs: its PasswordStrength, one worker thread with its resource limits, in a
// process with the Node.js flags of package.json's start:prod (V8's flags are the process's, so they reach the thread).
if (values.worker && process.env.LATCHKEY_BENCH_FLAGS === undefined) {
  const flags = startProdFlags();
  const run = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, LATCHKEY_BENCH_FLAGS: flags.join(' ') },
  });
  process.exit(run.status ?? 1);
}
const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist/src/passwords', p)).href);
const { createEstimator, warmUp } = await dist('strength-estimator.js');
const { ESTIMATOR_OPTIONS, SCORED_CODE_POINTS, estimatorModules } = await dist('password-strength.js');
const require = createRequire(path.join(ROOT, 'package.json'));
const diceware = require('@zxcvbn-ts/language-common').dictionary['diceware-common'];

const base64url = (n) => randomBytes(n).toString('base64url').slice(0, n);
const printable = (n) => Array.from({ length: n }, () => String.fromCharCode(33 + randomInt(94))).join('');
const phrase = (words, sep) => Array.from({ length: words }, () => diceware[randomInt(diceware.length)]).join(sep);
const l33tish = (n) => Array.from({ length: n }, () => '@4$5!1|0339+7(a'[randomInt(15)]).join('');
const KINDS = {
  'random base64url, 24': () => base64url(24),
  'random base64url, 32': () => base64url(32),
  'random printable, 16': () => printable(16),
  'diceware, 4 words': () => phrase(4, ' '),
  'diceware, 6 words': () => phrase(6, '-'),
  'long, 256 code points': () => base64url(256),
  'long passphrase, 256': () => (phrase(40, ' ') + ' ').repeat(2).slice(0, 256),
  'l33t characters, 32': () => l33tish(32),
};
const USER_INPUTS = ['olive.owner', 'olive', 'oakhampton', 'acme', 'widgets'];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

function measure(name, options, n) {
  const estimate = createEstimator(require, estimatorModules(), options);
  estimate('warm-up: build the dictionary index', []);
  // As the service's worker thread does at start (strength-worker.ts).
  warmUp(estimate, 200);
  const rows = [];
  for (const [kind, make] of Object.entries(KINDS)) {
    for (let i = 0; i < 20; i++) estimate(Array.from(make()).slice(0, SCORED_CODE_POINTS).join(''), USER_INPUTS);
    const inputs = Array.from({ length: n }, () => Array.from(make()).slice(0, SCORED_CODE_POINTS).join(''));
    const times = [];
    const cpu0 = cpuMs();
    for (const scored of inputs) {
      const t0 = performance.now();
      estimate(scored, USER_INPUTS);
      times.push(performance.now() - t0);
    }
    const mean = (cpuMs() - cpu0) / n;
    times.sort((a, b) => a - b);
    rows.push({
      config: name,
      kind,
      n,
      p50: pct(times, 0.5),
      p99: pct(times, 0.99),
      max: times[times.length - 1],
      mean,
    });
  }
  return rows;
}

// One argon2id hash (the contract's parameters) on this machine, for the budget.
const argonTimes = [];
for (let i = 0; i < 10; i++) {
  const t0 = cpuMs();
  await hash('velvet quasar lantern mosaic 7241', ARGON2_OPTIONS);
  argonTimes.push(cpuMs() - t0);
}
argonTimes.sort((a, b) => a - b);
const argon = pct(argonTimes, 0.5);

/**
 * The same kinds through the service's own PasswordStrength (its worker thread): the percentiles are each check's
 * round trip (the messaging on both sides and the thread's wake-up included), the mean the process's CPU per check.
 */
async function measureWorker(n) {
  const { PasswordStrength } = await dist('password-strength.js');
  const strength = new PasswordStrength();
  // The service's thread is unref'd (the HTTP server keeps the service alive): here a timer does.
  const alive = setInterval(() => undefined, 60_000);
  strength.onApplicationBootstrap();
  await strength.score('warm-up: the thread builds its dictionary index', USER_INPUTS);
  // The thread has warmed its estimator up at start; this warms the messaging on both sides up, as traffic would.
  const makers = Object.values(KINDS);
  for (let i = 0; i < 200; i++) await strength.score(makers[i % makers.length](), USER_INPUTS);
  const rows = [];
  for (const [kind, make] of Object.entries(KINDS)) {
    for (let i = 0; i < 20; i++) await strength.score(make(), USER_INPUTS);
    const passwords = Array.from({ length: n }, make);
    const times = [];
    const all0 = cpuMs();
    for (const password of passwords) {
      const t0 = performance.now();
      await strength.score(password, USER_INPUTS);
      times.push(performance.now() - t0);
    }
    const mean = (cpuMs() - all0) / n;
    times.sort((a, b) => a - b);
    const config = `service, its worker thread, ${process.env.LATCHKEY_BENCH_FLAGS ? 'start:prod flags' : 'no flags'}`;
    rows.push({ config, kind, n, p50: pct(times, 0.5), p99: pct(times, 0.99), max: times[times.length - 1], mean });
  }
  await strength.onApplicationShutdown();
  clearInterval(alive);
  return rows;
}

const rows = values.worker
  ? await measureWorker(samples)
  : measure(`service ${JSON.stringify(ESTIMATOR_OPTIONS)}`, ESTIMATOR_OPTIONS, samples);
if (values.compare) {
  rows.push(...measure('zxcvbn-ts defaults', { l33tMaxSubstitutions: 100, fast: false }, Math.min(samples, 100)));
}

const f = (x) => x.toFixed(2).padStart(7);
console.log(`argon2id hash: ${argon.toFixed(1)} ms CPU (median of 10); budget a tenth: ${(argon / 10).toFixed(2)} ms`);
console.log(
  `${'configuration'.padEnd(58)} ${'input'.padEnd(24)} ${'n'.padStart(5)}   p50 ms  p99 ms  max ms  CPU ms, mean`,
);
for (const r of rows)
  console.log(
    `${r.config.padEnd(58)} ${r.kind.padEnd(24)} ${String(r.n).padStart(5)} ${f(r.p50)} ${f(r.p99)} ${f(r.max)} ${r.mean === undefined ? '' : f(r.mean)}`,
  );
const worst = Math.max(...rows.filter((r) => r.config.startsWith('service')).map((r) => r.p99));
console.log(
  `service p99, worst input kind: ${worst.toFixed(2)} ms (${((worst / argon) * 100).toFixed(0)} % of one argon2id hash)`,
);
if (values.json) (await import('node:fs')).writeFileSync(values.json, JSON.stringify({ argon, rows }, null, 2));
