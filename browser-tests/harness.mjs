// What the browser tests share: free ports, an SMTP capture, the built Latchkey service and the example
// portal as child processes (stopped by pid), and Debian's Chromium driven by playwright-core.
import { simpleParser } from 'mailparser';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { createLatchkeyClient } from '../client/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.resolve(ROOT, process.env.ARTIFACTS_DIR ?? 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A password the policy accepts for every name used here. */
export const STRONG_PASSWORD = 'velvet quasar lantern mosaic 7241';

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const tempDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), `latchkey-${prefix}-`));

/** An SMTP server on 127.0.0.1 that accepts every message and keeps it, parsed. */
export async function startSmtpCapture() {
  const messages = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        messages.push(Object.assign(mail, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }));
        callback();
      }, callback);
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${server.server.address().port}`;
  return {
    url,
    messages,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching message at ${url} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Starts `node <script>` with `env`, keeping its output; resolves once `ready()` does. */
async function startProcess(name, script, env, ready, timeoutMs) {
  const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    output += d;
  });
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (await ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid,
    /** Standard output only. */
    stdout: () => stdout,
    /** Standard output and error, interleaved. */
    output: () => output,
    async stop() {
      if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      return exited;
    },
  };
}

/**
 * The built service (`dist/src/main.js`) on a free port, with an embedded database in a fresh DATA_DIR
 * and production settings, so its logs are JSON lines.
 */
export async function startLatchkey(env = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = tempDir('data');
  const service = await startProcess(
    'Latchkey',
    'dist/src/main.js',
    {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      OUTBOX_POLL_MS: '100',
      ...env,
    },
    async () => (await fetch(`${url}/health/ready`)).ok,
    180_000,
  );
  return {
    ...service,
    url,
    async stop() {
      const code = await service.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** The example portal (`examples/custom-portal/server.js`) on `port`. */
export async function startPortal(port, env) {
  const portal = await startProcess(
    'portal',
    'examples/custom-portal/server.js',
    { PATH: process.env.PATH, PORTAL_HOST: '127.0.0.1', PORTAL_PORT: String(port), ...env },
    async () => (await fetch(`http://127.0.0.1:${port}/forgot-password`)).ok,
    30_000,
  );
  return portal;
}

/** Signs up a new account through the typed client; returns the account, its admin and the admin's session. */
export async function signUp(latchkeyUrl, alias) {
  const { data, error } = await createLatchkeyClient(latchkeyUrl).POST('/v3/accounts', {
    body: {
      name: 'Northwind Traders',
      alias,
      email: `owner@${alias}.test`,
      password: STRONG_PASSWORD,
      firstName: 'Olive',
      lastName: 'Owner',
    },
  });
  if (!data) throw new Error(`sign-up failed: ${JSON.stringify(error)}`);
  return data;
}

/** Debian's Chromium, headless, with a fresh profile and nothing that phones home. */
export async function launchBrowser() {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of `page` (or of one element) as test-artifacts/<name>.png. */
export async function screenshot(target, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await target.screenshot({ path: file });
  return file;
}

/** The service's standard output as JSON log lines, parsed (Nest's ConsoleLogger with `json: true`). */
export function jsonLogLines(stdout) {
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}
