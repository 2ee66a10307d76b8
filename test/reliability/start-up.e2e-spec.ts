import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  builtServiceMissing,
  type Exit,
  probe,
  type ServiceProcess,
  spawnService,
  startService,
  waitUntil,
} from '../helpers/service-process.js';
import { freePort } from '../helpers/ports.js';

// Start-up of the built service; the database behind it makes no difference here.
const missing = builtServiceMissing() ?? (process.env.TEST_DATABASE_URL ? 'runs once, on the embedded run' : null);

/** One GET on a connection of its own: `sent` once the request is handed to the kernel, `answer` its status or error. */
const getAlone = (url: string) => {
  let sent!: () => void;
  const handedOver = new Promise<void>((resolve) => (sent = resolve));
  const answer = new Promise<string>((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    });
    req.on('finish', () => sent());
    req.on('error', (e: NodeJS.ErrnoException) => {
      sent();
      resolve(e.code ?? e.message);
    });
  });
  return { handedOver, answer };
};

/** Resolves with the exit, or with null when the process is still running after `ms`. */
const exitWithin = (svc: ServiceProcess, ms: number) =>
  Promise.race([svc.exited, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);

(missing ? describe.skip : describe)('start-up of the built service', () => {
  const dataDirs: string[] = [];
  const running: ServiceProcess[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-start-'));
    dataDirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    await Promise.all(running.map((svc) => svc.stop('SIGKILL')));
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a busy port fails fast, before the database is opened, with one line naming the port and PORT', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    const dataDir = tempDir();
    try {
      const started = Date.now();
      const svc = await spawnService({ name: 'busy-port', port, env: { DATA_DIR: dataDir } });
      running.push(svc);
      const exit: Exit | null = await exitWithin(svc, 30_000);
      const output = svc.output.filter((l) => l.trim() !== '');
      expect({ exit, output }).toEqual({ exit: { code: 1, signal: null }, output: [expect.any(String)] });
      expect(output[0]).toContain(String(port));
      expect(output[0]).toMatch(/\bPORT\b/);
      // The database was never opened: neither its files nor Nest's start-up exist.
      expect(fs.readdirSync(dataDir)).toEqual([]);
      process.stdout.write(`busy port: refused in ${Date.now() - started} ms: ${output[0]}\n`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);

  it('SIGTERM answers the requests that arrived before it, even those the event loop had not read yet', async () => {
    const svc = await startService({ name: 'drain-unread', env: { DATA_DIR: tempDir() } });
    running.push(svc);
    // Stopped, the process reads nothing: the connections wait in the listen backlog and their requests in the socket
    // buffers, as when a busy event loop has not come round to them yet, and the SIGTERM waits with them.
    process.kill(svc.pid, 'SIGSTOP');
    const requests = Array.from({ length: 20 }, () => getAlone(`${svc.url}/health`));
    await Promise.all(requests.map((r) => r.handedOver));
    await new Promise((r) => setTimeout(r, 200));
    process.kill(svc.pid, 'SIGTERM');
    process.kill(svc.pid, 'SIGCONT');
    expect(await Promise.all(requests.map((r) => r.answer))).toEqual(Array(20).fill('200'));
    expect(await exitWithin(svc, 30_000)).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('SIGTERM to the pid of `npm run start:prod` stops the server (npm hands the signal to node)', async () => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: tempDir(),
      LOG_FORMAT: 'json',
    };
    const npm = spawn('npm', ['run', 'start:prod'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    npm.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const npmExited = new Promise<Exit>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
    // node inherits npm's stdout: the pipe closes only when the last writer, node itself, is gone.
    const outputClosed = new Promise<void>((resolve) => npm.stdout.once('close', () => resolve()));
    const url = `http://127.0.0.1:${port}/health`;
    try {
      await waitUntil(
        async () => (await probe(url)) === 200,
        60_000,
        () => npm.exitCode !== null,
      );
      npm.kill('SIGTERM');
      await npmExited;
      // Whatever npm's own exit says, nothing may be left serving on the port, and node's last lines
      // (read after npm's exit on a loaded machine) must be in.
      await Promise.race([outputClosed, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      await waitUntil(async () => (await probe(url, 1000)) === 0, 20_000).catch(() => undefined);
      expect({ health: await probe(url, 1000), output: output.join('') }).toEqual({
        health: 0,
        output: expect.stringContaining('SIGTERM: draining'),
      });
    } finally {
      npm.kill('SIGKILL');
      // A node that npm left behind names its pid in its logs: stopped, so that a failure here leaks nothing.
      const left = /"pid":(\d+)/.exec(output.join(''));
      if (left) {
        try {
          process.kill(Number(left[1]), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }, 120_000);
});
