#!/usr/bin/env node
// Runs the README's walk-through, portal flow and webhook walk-through as written, so the README cannot drift from
// the API.
//
// Every fenced `sh` block that follows a `<!-- readme-check -->` line is taken, in order, and the blocks run as one
// `bash -euo pipefail` script (variables set by one block are used by the next), from the repository's root, against
// the built service (`node dist/src/main.js`) on a fresh temporary DATA_DIR: embedded database, emails written as
// files, and WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, as the README's webhook section says to start it, so webhooks reach
// the example receiver on localhost. The README speaks of localhost:3000 (the service) and localhost:4001 (the
// receiver); when one is taken, a free port is used instead and the blocks are changed to match (README_CHECK_PORT
// and README_CHECK_RECEIVER_PORT choose them), and it says so. Processes the blocks leave running are stopped. Needs
// `npm run build`, bash, curl and jq.
//
//   node scripts/readme-check.mjs [README.md]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = path.resolve(process.argv[2] ?? path.join(root, 'README.md'));
const MARKER = '<!-- readme-check -->';
const README_PORT = 3000;
/** The example webhook receiver's port in the README: `RECEIVER_PORT=4001` and `localhost:4001`. */
const RECEIVER_PORT = 4001;

function fail(message) {
  console.error(`readme-check: ${message}`);
  process.exit(1);
}

/** The `sh` blocks marked for checking, with the README line each starts on. */
export function markedBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== MARKER) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const open = /^(\s*)(`{3,})(sh|bash|shell)\s*$/.exec(lines[j] ?? '');
    if (!open) fail(`${MARKER} on line ${i + 1} is not followed by a \`\`\`sh block`);
    const [, indent, fence] = open;
    const body = [];
    let k = j + 1;
    for (; k < lines.length && lines[k].trim() !== fence; k++)
      body.push(lines[k].startsWith(indent) ? lines[k].slice(indent.length) : lines[k]);
    if (k === lines.length) fail(`the block opened on line ${j + 1} is never closed`);
    blocks.push({ line: j + 1, code: body.join('\n') });
    i = k;
  }
  return blocks;
}

/** Stops what is left of a process group (the README blocks' bash and what they started in the background). */
function stopGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // nothing of it is left running
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(base, service, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (service.exitCode !== null) return false;
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main() {
  for (const tool of ['bash', 'curl', 'jq'])
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) fail(`${tool} is needed (apt-get install ${tool})`);
  const main = path.join(root, 'dist/src/main.js');
  if (!fs.existsSync(main)) fail('dist/src/main.js is missing: run npm run build first');

  const blocks = markedBlocks(fs.readFileSync(readmePath, 'utf8'));
  if (blocks.length === 0) fail(`no block of ${path.basename(readmePath)} is marked ${MARKER}`);

  const forced = process.env.README_CHECK_PORT ? Number(process.env.README_CHECK_PORT) : undefined;
  const port = forced ?? ((await portIsFree(README_PORT)) ? README_PORT : await freePort());
  if (port !== README_PORT)
    console.log(
      `${forced ? 'README_CHECK_PORT' : `port ${README_PORT} is taken`}: running on ${port}, localhost:${README_PORT} replaced`,
    );
  const forcedReceiver = process.env.README_CHECK_RECEIVER_PORT
    ? Number(process.env.README_CHECK_RECEIVER_PORT)
    : undefined;
  const receiverPort = forcedReceiver ?? ((await portIsFree(RECEIVER_PORT)) ? RECEIVER_PORT : await freePort());
  if (receiverPort !== RECEIVER_PORT)
    console.log(
      `${forcedReceiver ? 'README_CHECK_RECEIVER_PORT' : `port ${RECEIVER_PORT} is taken`}: the webhook receiver runs on ${receiverPort}`,
    );
  /** @param {string} code */
  const localise = (code) =>
    code
      .replaceAll(`localhost:${README_PORT}`, `localhost:${port}`)
      .replaceAll(`localhost:${RECEIVER_PORT}`, `localhost:${receiverPort}`)
      .replaceAll(`RECEIVER_PORT=${RECEIVER_PORT}`, `RECEIVER_PORT=${receiverPort}`);
  const script = [
    ...blocks.map(({ line, code }) => `printf '\\n--- README line %s\\n' ${line}\n${localise(code)}`),
    `printf '\\n--- all %s blocks ran\\n' ${blocks.length}`,
  ].join('\n');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-readme-'));
  const logFile = path.join(dataDir, 'service.log');
  const log = fs.openSync(logFile, 'w');
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'SMTP_URL',
    'PUBLIC_URL',
    'PUBLIC_PORTAL_URL',
    'SIGNUP_ENABLED',
    'RATE_LIMITS',
    'WEBHOOK_WORKER',
    'WEBHOOK_POLL_MS',
    'SECRETS_KEY',
  ])
    delete env[name];
  const service = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', log, log] });
  const stop = async () => {
    if (service.exitCode === null) {
      const exited = new Promise((r) => service.once('exit', r));
      service.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (service.exitCode === null) service.kill('SIGKILL');
    }
    fs.closeSync(log);
  };

  let code = 1;
  try {
    const started = Date.now();
    if (!(await waitUntilReady(`http://127.0.0.1:${port}`, service, 120_000))) {
      console.error(fs.readFileSync(logFile, 'utf8'));
      fail('the service did not become ready within 120 s');
    }
    console.log(
      `service ready on port ${port} after ${((Date.now() - started) / 1000).toFixed(1)} s; running ${blocks.length} README blocks`,
    );
    // Its own process group, so what the blocks start in the background (the receiver) is stopped with it.
    const run = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: root,
      env: { ...process.env },
      stdio: 'inherit',
      detached: true,
    });
    // Ctrl-C reaches the service (same group) but not the blocks' group: pass it on.
    const interrupt = () => stopGroup(run.pid);
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    code = await new Promise((resolve) => {
      run.once('error', () => resolve(1));
      run.once('exit', (status) => resolve(status ?? 1));
    });
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    stopGroup(run.pid);
    if (code !== 0) {
      console.error(`\nreadme-check: a README block failed (exit ${code}); the service's log:`);
      console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
    }
  } finally {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(code);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
