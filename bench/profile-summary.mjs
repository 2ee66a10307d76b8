// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package, so a
// profile of the service under a workload shows where its time goes.
//
//   node bench/profile-summary.mjs bench/profiles/<file>.cpuprofile [--top 30]
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, match: { type: 'string' } },
});
if (!positionals[0]) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--match regexp]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const idleId = profile.nodes.find((n) => n.callFrame.functionName === '(idle)')?.id;
// Percentages are of the time the process was busy: idle time says nothing about the code.
const total = [...self].reduce((a, [id, us]) => (id === idleId ? a : a + us), 0);

const packageOf = (url) => {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  const d = /\/dist\/(src\/[^/]+)/.exec(url);
  return d ? d[1] : url;
};
const byFunction = new Map();
const byPackage = new Map();
for (const [id, us] of self) {
  if (id === idleId) continue;
  const { callFrame: f } = byId.get(id);
  const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${f.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const p = packageOf(f.url);
  byPackage.set(p, (byPackage.get(p) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const top = Number(values.top);
console.log(`busy: ${(total / 1e6).toFixed(2)} s\n\nself time by package:`);
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
console.log('\nself time by function:');
for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);

// Inclusive time: a function counts for every sample with it anywhere on the stack (once per
// sample), which shows what whole operations (a query, a transaction, a guard) cost.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const frameKey = (f) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${f.lineNumber + 1}`;
const inclusive = new Map();
for (const [id, us] of self) {
  if (id === idleId) continue;
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const { callFrame: f } = byId.get(n);
    if (!f.url) continue;
    const key = frameKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
const match = values.match ? new RegExp(values.match) : /^(?!.*node:)/;
console.log('\ninclusive time by function:');
for (const [k, v] of [...inclusive]
  .filter(([k]) => match.test(k))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`${pct(v)}  ${k}`);
