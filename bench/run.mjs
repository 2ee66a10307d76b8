// The benchmark: `npm run bench` (after `npm run build`; it builds when dist/ is missing).
//
// Creates a PostgreSQL database, seeds it (bench/seed.mjs), starts the built service
// (dist/src/main.js) and the hand-written baseline (bench/baseline.mjs) on the same data, and runs
// each workload against both, alternating service/baseline so that the noise of a shared machine
// falls on both alike. Prints req/s, p50 and p99 latency, the service's peak RSS and the ratio
// service/baseline of the medians. See BENCHMARKS.md.
//
//   node bench/run.mjs [--duration 8] [--rounds 5] [--users 10000] [--workloads read,issue,reset,signup,login]
//                      [--warmup 3] [--pool 10] [--connections 32] [--smoke] [--reuse] [--keep]
//                      [--database latchkey_bench] [--profile] [--json out.json] [--check] [--baseline-zxcvbn]
//                      [--webhooks N]
//   --webhooks N: the account gets N webhook endpoints subscribed to every event, enabled only during extra
//   rounds of the service ("service+wh", alternating with the others in the same process), so the cost the
//   write path pays to record the deliveries shows beside the same service without endpoints. Deliveries stay
//   pending (the service runs with WEBHOOK_WORKER=off): this measures the write path, bench/webhooks.mjs the worker.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres  (the server to create the database on)
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ACCOUNT, ADMIN, PASSWORD, generateToken, hashToken, startProdFlags, userEmail, userId } from './common.mjs';
import { ensureSchema, seed } from './seed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Goals of issue 15: read and issue ≥ 0.8 of the baseline, reset and sign-up ≥ 0.9 of a baseline that hashes but
// does not score (the scoring budget is what the service is measured on), login ≥ 0.95; 32 connections each.
const WORKLOADS = {
  read: { connections: 32, goal: 0.8, what: 'GET /v3/users/{id} with a PAT' },
  issue: { connections: 32, goal: 0.8, what: 'POST /v3/users/{id}/reset-password-token with a PAT' },
  reset: {
    connections: 32,
    goal: 0.9,
    what: 'POST /v3/users/{id}/reset-password, a fresh token and a fresh random password per request',
  },
  signup: {
    connections: 32,
    goal: 0.9,
    what: 'POST /v3/accounts, a new alias, owner and random password per request',
  },
  login: { connections: 32, goal: 0.95, what: 'POST /v3/accounts/login' },
};

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string' },
    rounds: { type: 'string' },
    users: { type: 'string' },
    'reset-tokens': { type: 'string' },
    workloads: { type: 'string', default: Object.keys(WORKLOADS).join(',') },
    warmup: { type: 'string' },
    pool: { type: 'string', default: '10' },
    connections: { type: 'string' },
    'port-base': { type: 'string' },
    'baseline-zxcvbn': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    database: { type: 'string', default: 'latchkey_bench' },
    profile: { type: 'boolean', default: false },
    json: { type: 'string' },
    check: { type: 'boolean', default: false },
    webhooks: { type: 'string', default: '0' },
  },
});
const smoke = args.smoke;
const opts = {
  duration: Number(args.duration ?? (smoke ? 2 : 8)),
  rounds: Number(args.rounds ?? (smoke ? 1 : 5)),
  users: Number(args.users ?? (smoke ? 1000 : 10_000)),
  warmup: Number(args.warmup ?? (smoke ? 1 : 3)),
  pool: Number(args.pool),
  workloads: args.workloads.split(',').map((w) => w.trim()),
  webhooks: Number(args.webhooks),
};
// A smoke run only proves that both servers serve every workload: 4 connections, so that the argon2-bound routes
// answer within its 2 s runs even on a busy machine.
const connections = args.connections ?? (smoke ? '4' : undefined);
if (connections) for (const w of Object.values(WORKLOADS)) w.connections = Number(connections);
opts.resetTokens = Number(args['reset-tokens'] ?? opts.users);
for (const w of opts.workloads) if (!WORKLOADS[w]) fail(`unknown workload "${w}" (one of ${Object.keys(WORKLOADS)})`);
if (opts.users < 100) fail('--users must be at least 100');
if (!Number.isInteger(opts.webhooks) || opts.webhooks < 0 || opts.webhooks > 10) fail('--webhooks must be 0 to 10');

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;

// --- database -------------------------------------------------------------------------------

const baseUrl = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const dbUrl = (() => {
  const u = new URL(baseUrl);
  u.pathname = `/${args.database}`;
  return u.toString();
})();

async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: baseUrl.toString() });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [args.database])).rowCount > 0;
    if (args.reuse) {
      if (!exists) fail(`--reuse: database ${args.database} does not exist (load it with bench/seed.mjs)`);
      return;
    }
    const name = `"${args.database.replace(/"/g, '""')}"`;
    if (exists) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  await ensureSchema(dbUrl);
  log(`seeding ${opts.users} users and ${opts.resetTokens} reset tokens into ${args.database}`);
  await seed(dbUrl, { users: opts.users, resetTokens: opts.resetTokens, log: (l) => log(`  ${l}`) });
}

async function dropDatabase() {
  const admin = new pg.Client({ connectionString: baseUrl.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${args.database.replace(/"/g, '""')}" WITH (FORCE)`);
  await admin.end();
}

// --- processes ------------------------------------------------------------------------------

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Servers still running: killed if the benchmark exits early. */
const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

// The service runs with the Node.js flags of its start scripts and Dockerfile (BENCHMARKS.md _Memory_).
const SERVICE_NODE_ARGS =
  process.env.BENCH_SERVICE_NODE_ARGS === undefined
    ? startProdFlags()
    : process.env.BENCH_SERVICE_NODE_ARGS.split(' ').filter(Boolean);

// --port-base N: the service listens on N and the baseline on N + 1 (a shared machine's port range).
let nextPort = args['port-base'] ? Number(args['port-base']) : undefined;

async function startServer(name, script, env, applicationName, nodeArgs = []) {
  const port = nextPort === undefined ? await freePort() : nextPort++;
  const logFile = path.join(os.tmpdir(), `latchkey-bench-${name}-${process.pid}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), DB_POOL_SIZE: String(opts.pool) },
    stdio: ['ignore', out, out],
  });
  children.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => children.delete(child));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) fail(`${name} exited (${child.exitCode}); see ${logFile}:\n${tail(logFile)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail(`${name} did not start; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    applicationName,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    logFile,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const tail = (file) => fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU time (user + system) a process has used, in ms, of all its threads or, with `thread`, of that one (the main
 * thread's id is the process id); 0 once it is gone.
 */
function cpuMsOf(pid, thread) {
  try {
    const stat = fs.readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Minor page faults of a process so far (all threads): memory the kernel had to map in, often zeroed first; 0 once gone. */
function minorFaultsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return 0;
  }
}

/** CPU ms used so far by each backend of this database serving `applicationName` (same host only). */
async function backendCpu(client, applicationName) {
  const { rows } = await client.query(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
    [applicationName],
  );
  return new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)]));
}

function cpuDelta(before, after) {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

/** Resident set size of a process in MiB, from /proc (VmRSS now, VmHWM the peak since start). */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

// --- workloads ------------------------------------------------------------------------------

/** Disjoint user pools, so that one workload's writes never change another's conditions. */
const loginUsers = Math.max(10, Math.min(100, Math.floor(opts.users / 10)));
const pools = {
  read: [1, opts.users],
  login: [1, loginUsers],
  issue: [loginUsers + 1, Math.floor(opts.users / 2)],
  reset: [Math.floor(opts.users / 2) + 1, opts.users],
};
const pick = ([from, to]) => from + Math.floor(Math.random() * (to - from + 1));

async function createPat(client) {
  const token = generateToken('pat');
  await client.query(
    `INSERT INTO personal_access_tokens (account_id, user_id, name, scopes, token_hash, token_hint, created_at)
     VALUES ($1, $2, 'bench', $3, $4, $5, now())`,
    [ACCOUNT.id, ADMIN.id, ['user:read', 'user:resetPasswordToken'], hashToken(token), token.slice(-4)],
  );
  return token;
}

/** `count` endpoints of the benchmark account, subscribed to every event and disabled until a "service+wh" round. */
async function createWebhooks(client, count) {
  await client.query(`DELETE FROM webhooks WHERE account_id = $1`, [ACCOUNT.id]);
  for (let i = 1; i <= count; i++) {
    // The sealed secret is never opened: the service runs with WEBHOOK_WORKER=off.
    await client.query(
      `INSERT INTO webhooks (account_id, url, events, enabled, disabled_reason, secret_sealed, created_by_type, created_by_id)
       VALUES ($1, $2, '{*}', false, 'manual', 'v1.unused', 'user', $3)`,
      [ACCOUNT.id, `https://hooks.example/bench/${i}`, ADMIN.id],
    );
  }
}

async function enableWebhooks(client, enabled) {
  await client.query(
    `UPDATE webhooks SET enabled = $2, disabled_reason = CASE WHEN $2 THEN NULL ELSE 'manual' END WHERE account_id = $1`,
    [ACCOUNT.id, enabled],
  );
}

let resetCursor = pools.reset[0];
/** Issues `count` reset tokens straight into the database (as the API would), for the next users of the reset pool. */
async function issueResetTokens(client, count) {
  // The previous run's requests still in flight when it ended (autocannon stops sending, not the server) may commit
  // after this batch: a reset revokes its user's other tokens, this batch's among them when the cursor has come round
  // to that user (the smoke run's pool is smaller than a batch), and the next run would meet a dead token (400). They
  // end within a p99 latency.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const [from, to] = pools.reset;
  const items = [];
  for (let i = 0; i < Math.min(count, to - from + 1); i++) {
    const n = resetCursor;
    resetCursor = resetCursor >= to ? from : resetCursor + 1;
    items.push({ userId: userId(n), token: generateToken('rst') });
  }
  const ids = items.map((i) => i.userId);
  // The service may still be finishing the last round's resets on these users (their row locks meet this
  // batch's foreign-key locks in another order): a deadlock here is retried, as any client would.
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE reset_tokens SET revoked_at = now() WHERE user_id = ANY($1::uuid[]) AND used_at IS NULL AND revoked_at IS NULL`,
        [ids],
      );
      await client.query(
        `INSERT INTO reset_tokens (account_id, user_id, token_hash, origin, created_by_type, created_at, expires_at)
         SELECT $1, u, h, 'api', 'personalAccessToken', now(), now() + interval '1 hour'
           FROM unnest($2::uuid[], $3::bytea[]) AS x(u, h)`,
        [ACCOUNT.id, ids, items.map((i) => hashToken(i.token))],
      );
      await client.query('COMMIT');
      return items;
    } catch (err) {
      await client.query('ROLLBACK');
      if (err.code !== '40P01' || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** The autocannon request list of a workload; `tokens` are the reset workload's unused tokens. */
function requestsFor(workload, pat, tokens) {
  const json = { 'content-type': 'application/json' };
  const auth = { authorization: `Bearer ${pat}` };
  switch (workload) {
    case 'read':
      return [
        {
          method: 'GET',
          headers: auth,
          setupRequest: (r) => ({ ...r, path: `/v3/users/${userId(pick(pools.read))}` }),
        },
      ];
    case 'issue':
      return [
        {
          method: 'POST',
          headers: { ...auth, ...json },
          body: '{}',
          setupRequest: (r) => ({ ...r, path: `/v3/users/${userId(pick(pools.issue))}/reset-password-token` }),
        },
      ];
    case 'reset': {
      let next = 0;
      return [
        {
          method: 'POST',
          headers: json,
          setupRequest: (r) => {
            // Out of tokens: the request is sent with a spent one and counted as non-2xx.
            const t = tokens[next++ % tokens.length];
            return {
              ...r,
              path: `/v3/users/${t.userId}/reset-password`,
              // A new password like a password manager's: 24 characters of base64url.
              body: JSON.stringify({ token: t.token, newPassword: randomBytes(18).toString('base64url') }),
            };
          },
        },
      ];
    }
    case 'signup': {
      const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
      const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];
      const any = (xs) => xs[Math.floor(Math.random() * xs.length)];
      return [
        {
          method: 'POST',
          path: '/v3/accounts',
          headers: json,
          // A new account each time (aliases are unique), its owner, and a password like a password manager's.
          setupRequest: (r) => {
            const id = randomBytes(8).toString('hex');
            return {
              ...r,
              body: JSON.stringify({
                name: `Org ${id}`,
                alias: `bench-${id}`,
                email: `owner-${id}@bench.example.com`,
                password: randomBytes(18).toString('base64url'),
                firstName: any(firstNames),
                lastName: any(lastNames),
              }),
            };
          },
        },
      ];
    }
    case 'login':
      return [
        {
          method: 'POST',
          path: '/v3/accounts/login',
          headers: json,
          setupRequest: (r) => ({
            ...r,
            body: JSON.stringify({
              accountAlias: ACCOUNT.alias,
              email: userEmail(pick(pools.login)),
              password: PASSWORD,
            }),
          }),
        },
      ];
  }
}

/** One timed run of a workload against one server; latencies are kept exactly (autocannon's histogram is in whole ms). */
async function measure(server, workload, seconds, ctx) {
  const tokens = workload === 'reset' ? await issueResetTokens(ctx.client, Math.ceil(seconds * 400)) : [];
  const latencies = [];
  let peakRss = 0;
  const sampler = setInterval(() => {
    const { rss } = memoryOf(server.pid);
    if (rss > peakRss) peakRss = rss;
  }, 100);
  const cpuBefore = cpuMsOf(server.pid);
  const mainBefore = cpuMsOf(server.pid, server.pid);
  const faultsBefore = minorFaultsOf(server.pid);
  const dbBefore = await backendCpu(ctx.client, server.applicationName);
  const instance = autocannon({
    url: server.url,
    connections: WORKLOADS[workload].connections,
    duration: seconds,
    requests: requestsFor(workload, ctx.pat, tokens),
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  clearInterval(sampler);
  const cpuMs = cpuMsOf(server.pid) - cpuBefore;
  const mainCpuMs = cpuMsOf(server.pid, server.pid) - mainBefore;
  const faults = minorFaultsOf(server.pid) - faultsBefore;
  const dbCpuMs = cpuDelta(dbBefore, await backendCpu(ctx.client, server.applicationName));
  latencies.sort((a, b) => a - b);
  return {
    rps: result['2xx'] / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    peakRss,
    // Per request served: the server's own CPU and its database backends' CPU, which the noise of
    // a shared machine disturbs far less than throughput.
    cpuPerReq: cpuMs / Math.max(1, result['2xx']),
    dbCpuPerReq: dbCpuMs / Math.max(1, result['2xx']),
    // Of cpuPerReq, the event loop's thread: what is left is argon2id on libuv's pool, the password check's
    // thread and V8's helpers.
    mainCpuPerReq: mainCpuMs / Math.max(1, result['2xx']),
    // Pages mapped in per request: argon2id's 19 MiB is 4,864 of them when its allocator gave the memory back.
    faultsPerReq: faults / Math.max(1, result['2xx']),
  };
}

// --- report ---------------------------------------------------------------------------------

function machine(pgVersion) {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  return {
    cores: os.availableParallelism(),
    cpu,
    node: process.version,
    postgres: pgVersion,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

// --- main -----------------------------------------------------------------------------------

/** The newest modification time of the service's sources, to tell a stale build. */
function newestSource() {
  let newest = 0;
  for (const dir of ['src', 'migrations']) {
    for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true })) {
      newest = Math.max(newest, fs.statSync(path.join(ROOT, dir, f)).mtimeMs);
    }
  }
  return newest;
}

async function main() {
  const serviceEntry = path.join(ROOT, 'dist/src/main.js');
  if (!fs.existsSync(serviceEntry)) {
    log('dist/src/main.js is missing: building (npm run build)');
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) fail('npm run build failed');
  } else if (newestSource() > fs.statSync(serviceEntry).mtimeMs) {
    log('warning: src/ or migrations/ changed after the last build; these numbers are for the build (npm run build)');
  }
  await prepareDatabase();
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  if (args.reuse) {
    const [{ n }] = (
      await client.query(`SELECT count(*)::int AS n FROM users WHERE account_id = $1 AND role = 'user'`, [ACCOUNT.id])
    ).rows;
    if (n < 100) fail(`--reuse: ${args.database} holds ${n} benchmark users; load it with bench/seed.mjs`);
    opts.users = n;
    Object.assign(pools, {
      read: [1, n],
      issue: [loginUsers + 1, Math.floor(n / 2)],
      reset: [Math.floor(n / 2) + 1, n],
    });
    resetCursor = pools.reset[0];
  }
  const pgVersion = (await client.query('SHOW server_version')).rows[0].server_version;
  const pat = await createPat(client);
  const ctx = { client, pat };
  if (opts.webhooks) await createWebhooks(client, opts.webhooks);

  const profileDir = path.join(os.tmpdir(), 'latchkey-bench-profiles');
  if (args.profile) fs.mkdirSync(profileDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
  const common = { DATABASE_URL: dbUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  const servers = {
    service: await startServer(
      'service',
      serviceEntry,
      {
        ...common,
        RATE_LIMITS: 'off',
        OUTBOX_WORKER: 'off',
        WEBHOOK_WORKER: 'off',
        DATA_DIR: dataDir,
        // As the start scripts and the Dockerfile set it: libuv's pool one larger than the cores.
        UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(os.availableParallelism() + 1),
      },
      'latchkey',
      [...SERVICE_NODE_ARGS, ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/service`] : [])],
    ),
    baseline: await startServer(
      'baseline',
      path.join(ROOT, 'bench/baseline.mjs'),
      { ...common, BASELINE_ZXCVBN: args['baseline-zxcvbn'] ? 'on' : 'off' },
      'latchkey-baseline',
      args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/baseline`] : [],
    ),
  };

  const m = machine(pgVersion);
  log(`${m.cores} cores (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}`);
  log(
    `${opts.users} users, ${opts.duration} s × ${opts.rounds} rounds per server and workload, warm-up ${opts.warmup} s, DB pool ${opts.pool}; load average ${os.loadavg().map(f2).join(' ')}`,
  );

  const runs = [];
  try {
    for (const workload of opts.workloads) {
      log(`${workload}: ${WORKLOADS[workload].what}, ${WORKLOADS[workload].connections} connections`);
      if (opts.warmup > 0) {
        for (const s of ['service', 'baseline']) await measure(servers[s], workload, opts.warmup, ctx);
      }
      for (let round = 0; round < opts.rounds; round++) {
        // ABBA order: a drift in the machine's load favours neither side.
        const order = round % 2 === 0 ? ['service', 'baseline'] : ['baseline', 'service'];
        if (opts.webhooks) order.splice(round % 2 === 0 ? 2 : 0, 0, 'service+wh');
        for (const target of order) {
          if (opts.webhooks) await enableWebhooks(client, target === 'service+wh');
          const server = target === 'service+wh' ? servers.service : servers[target];
          const r = await measure(server, workload, opts.duration, ctx);
          runs.push({ workload, target, round, ...r });
          log(
            `  ${target.padEnd(10)} round ${round + 1}: ${f0(r.rps).padStart(6)} req/s  p50 ${f1(r.p50)} ms  p99 ${f1(r.p99)} ms  CPU/req ${f2(r.cpuPerReq)} ms (main ${f2(r.mainCpuPerReq)}) + db ${f2(r.dbCpuPerReq)} ms  faults/req ${f0(r.faultsPerReq)}  peak RSS ${f0(r.peakRss)} MiB${r.bad ? `  non-2xx/errors ${r.bad} ${JSON.stringify(r.statuses)}` : ''}`,
          );
        }
      }
    }
  } finally {
    const hwm = { service: memoryOf(servers.service.pid).hwm, baseline: memoryOf(servers.baseline.pid).hwm };
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    await client.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (!args.keep && !args.reuse) await dropDatabase();
    servers.hwm = hwm;
  }

  const rows = [
    [
      'workload',
      'conns',
      'service req/s',
      'baseline req/s',
      'ratio',
      'goal',
      'service p50/p99 ms',
      'baseline p50/p99 ms',
      'CPU ms/req service (main; db)',
      'CPU ms/req baseline (main; db)',
      'service peak RSS MiB',
      'non-2xx',
    ],
  ];
  const summary = [];
  for (const workload of opts.workloads) {
    const of = (target) => runs.filter((r) => r.workload === workload && r.target === target);
    const s = of('service');
    const b = of('baseline');
    const med = (xs, k) => median(xs.map((r) => r[k]));
    const stats = (xs) => ({
      rps: med(xs, 'rps'),
      p50: med(xs, 'p50'),
      p99: med(xs, 'p99'),
      cpuPerReq: med(xs, 'cpuPerReq'),
      dbCpuPerReq: med(xs, 'dbCpuPerReq'),
      mainCpuPerReq: med(xs, 'mainCpuPerReq'),
      peakRssMiB: Math.max(...xs.map((r) => r.peakRss)),
    });
    const ratio = med(s, 'rps') / med(b, 'rps');
    const goal = WORKLOADS[workload].goal;
    summary.push({
      workload,
      connections: WORKLOADS[workload].connections,
      service: stats(s),
      baseline: stats(b),
      ratio,
      goal,
      met: ratio >= goal,
      nonOk: { service: s.reduce((a, r) => a + r.bad, 0), baseline: b.reduce((a, r) => a + r.bad, 0) },
    });
    const x = summary.at(-1);
    rows.push([
      workload,
      x.connections,
      f0(x.service.rps),
      f0(x.baseline.rps),
      f2(ratio),
      `≥ ${goal}${x.met ? '' : ' ✗'}`,
      `${f1(x.service.p50)} / ${f1(x.service.p99)}`,
      `${f1(x.baseline.p50)} / ${f1(x.baseline.p99)}`,
      `${f2(x.service.cpuPerReq)} (${f2(x.service.mainCpuPerReq)}; ${f2(x.service.dbCpuPerReq)})`,
      `${f2(x.baseline.cpuPerReq)} (${f2(x.baseline.mainCpuPerReq)}; ${f2(x.baseline.dbCpuPerReq)})`,
      f0(x.service.peakRssMiB),
      `${x.nonOk.service} / ${x.nonOk.baseline}`,
    ]);
  }
  console.log(
    `\nLatchkey benchmark — ${opts.users} users, medians of ${opts.rounds} alternating ${opts.duration} s runs\n`,
  );
  console.log(table(rows));
  if (opts.webhooks) {
    const whRows = [
      [
        'workload',
        'service req/s',
        `with ${opts.webhooks} webhook(s)`,
        'ratio',
        'p50 ms without / with',
        'CPU ms/req without / with (db)',
      ],
    ];
    for (const x of summary) {
      const w = runs.filter((r) => r.workload === x.workload && r.target === 'service+wh');
      const med = (k) => median(w.map((r) => r[k]));
      x.withWebhooks = {
        rps: med('rps'),
        p50: med('p50'),
        p99: med('p99'),
        cpuPerReq: med('cpuPerReq'),
        dbCpuPerReq: med('dbCpuPerReq'),
      };
      whRows.push([
        x.workload,
        f0(x.service.rps),
        f0(x.withWebhooks.rps),
        f2(x.withWebhooks.rps / x.service.rps),
        `${f1(x.service.p50)} / ${f1(x.withWebhooks.p50)}`,
        `${f2(x.service.cpuPerReq)} (${f2(x.service.dbCpuPerReq)}) / ${f2(x.withWebhooks.cpuPerReq)} (${f2(x.withWebhooks.dbCpuPerReq)})`,
      ]);
    }
    console.log(
      `\nThe write path with ${opts.webhooks} webhook endpoint(s) subscribed to every event (same process, alternating rounds)\n`,
    );
    console.log(table(whRows));
  }
  console.log(
    `\npeak RSS over the whole run (VmHWM): service ${f0(servers.hwm.service)} MiB, baseline ${f0(servers.hwm.baseline)} MiB; load average at the end ${os.loadavg().map(f2).join(' ')}`,
  );
  if (args.json) {
    fs.writeFileSync(
      args.json,
      JSON.stringify({ machine: m, options: opts, summary, runs, hwm: servers.hwm }, null, 2),
    );
    log(`results written to ${args.json}`);
  }
  if (args.profile) log(`CPU profiles of the service in ${profileDir}`);
  if (args.check && summary.some((x) => !x.met)) process.exit(1);
  // A smoke run proves that both servers serve every workload, nothing about speed.
  const broken = summary.filter(
    (x) => x.nonOk.service || x.nonOk.baseline || !(x.service.rps > 0) || !(x.baseline.rps > 0),
  );
  if (smoke && broken.length) {
    console.error(`smoke: non-2xx responses or no throughput in ${broken.map((x) => x.workload).join(', ')}`);
    process.exit(1);
  }
}

await main();
