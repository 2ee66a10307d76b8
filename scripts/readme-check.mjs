#!/usr/bin/env node
// Runs the README's walk-through and portal flow as written, so the README cannot drift from the API.
//
// Every fenced `sh` block that follows a `<!-- readme-check -->` line is taken, in order, and the blocks run as one
// `bash -euo pipefail` script (variables set by one block are used by the next) against the built service
// (`node dist/src/main.js`) on a fresh temporary DATA_DIR: embedded database, emails written as files. The README
// speaks of localhost:3000; when port 3000 is taken, a free port is used and `localhost:3000` in the blocks is
// replaced with it (README_CHECK_PORT chooses the port). Needs `npm run build`, bash, curl and jq.
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
  const script = [
    ...blocks.map(
      ({ line, code }) =>
        `printf '\\n--- README line %s\\n' ${line}\n${port === README_PORT ? code : code.replaceAll(`localhost:${README_PORT}`, `localhost:${port}`)}`,
    ),
    `printf '\\n--- all %s blocks ran\\n' ${blocks.length}`,
  ].join('\n');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-readme-'));
  const logFile = path.join(dataDir, 'service.log');
  const log = fs.openSync(logFile, 'w');
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'development' };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'SMTP_URL',
    'PUBLIC_URL',
    'PUBLIC_PORTAL_URL',
    'SIGNUP_ENABLED',
    'RATE_LIMITS',
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
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dataDir,
      env: { ...process.env },
      stdio: 'inherit',
    });
    code = run.status ?? 1;
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
