import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, listensOn } from './ports.js';

/** The built service, as `npm run start:prod` runs it. */
export const SERVICE_ENTRY = path.resolve('dist/src/main.js');

/** Why the built service cannot be spawned here, or null when it can. */
export function builtServiceMissing(): string | null {
  return fs.existsSync(SERVICE_ENTRY)
    ? null
    : `${path.relative(process.cwd(), SERVICE_ENTRY)} is missing (build first)`;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running `node dist/src/main.js` on 127.0.0.1, with everything it printed. */
export interface ServiceProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  /** stdout and stderr lines, in order. */
  output: string[];
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
  /** True until the process exits. */
  alive(): boolean;
  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

/**
 * Kills `child` if this test process dies first (a crash or a kill skips every afterAll): a small
 * shell loop, polling both pids once a second, that ends by itself when the child exits.
 */
function killWhenOrphaned(child: ChildProcess): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -0 ${process.pid} 2>/dev/null || kill -9 ${child.pid} 2>/dev/null`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
}

export interface StartOptions {
  name?: string;
  env?: Record<string, string>;
  /** Waits for `/health/ready` (200) instead of `/health`. */
  waitReady?: boolean;
  timeoutMs?: number;
  /** A fixed port instead of a free one. */
  port?: number;
}

/**
 * Spawns the built service on a free loopback port with a private DATA_DIR and only the given
 * environment (nothing leaks in from the caller's shell), then waits until it answers.
 */
export async function startService(options: StartOptions = {}): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    const service = await spawnService(options);
    try {
      // Healthy, and the listener is this process's own: the port is chosen before the service listens on
      // it, and in the meantime another server could take it and answer the probe.
      await waitUntil(
        async () =>
          (await probe(`${service.url}${options.waitReady ? '/health/ready' : '/health'}`)) === 200 &&
          listensOn(service.pid, service.port),
        options.timeoutMs ?? 60_000,
        () => !service.alive(),
      );
      return service;
    } catch (err) {
      await service.stop('SIGKILL');
      // Refused the port (its first check, before the database opens): start it on another one.
      const portTaken = service.output.some((line) => line.includes('is already in use'));
      if (portTaken && attempt < 3 && options.port === undefined) continue;
      throw new Error(
        `${service.name} did not become healthy: ${(err as Error).message}\n${service.output.slice(-30).join('\n')}`,
      );
    }
  }
}

/** Spawns the built service like `startService` without waiting for it: for a start that is meant to fail. */
export async function spawnService(options: StartOptions = {}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const name = options.name ?? `latchkey-${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-svc-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_FORMAT: 'json',
    // Everything the service can log is captured, so the secrets scan sees it all.
    LOG_LEVEL: 'verbose',
    ...options.env,
  };
  const child = spawn(process.execPath, [SERVICE_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  killWhenOrphaned(child);
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    });
    stream.on('end', () => partial && output.push(partial));
  }
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name,
    pid: child.pid!,
    port,
    url,
    output,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return service;
}

/** The status of a GET, or 0 when nothing answered within `timeoutMs`. */
export async function probe(url: string, timeoutMs = 3000): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Polls `check` every 100 ms until it is true; throws after `timeoutMs` or once `abort` says so. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  abort: () => boolean = () => false,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (abort()) throw new Error('the process exited');
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { code?: string };
  ms: number;
}

/** A JSON request to a spawned service with a bounded wait; a network failure rejects. */
export async function call(
  service: { url: string },
  method: string,
  route: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse> {
  const started = Date.now();
  const res = await fetch(`${service.url}${route}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let body: JsonResponse['body'] = {};
  try {
    body = text ? (JSON.parse(text) as JsonResponse['body']) : {};
  } catch {
    body = { text } as JsonResponse['body'];
  }
  return { status: res.status, headers: res.headers, body, ms: Date.now() - started };
}
