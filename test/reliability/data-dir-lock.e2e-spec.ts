import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lockAddress } from '../../src/database/data-dir-lock.js';
import { STRONG_PASSWORD } from '../helpers/factories.js';
import {
  builtServiceMissing,
  call,
  type Exit,
  type ServiceProcess,
  spawnService,
  startService,
} from '../helpers/service-process.js';

// The lock guards the embedded database only: the PostgreSQL run of the suite has nothing to add here.
const missing =
  builtServiceMissing() ?? (process.env.TEST_DATABASE_URL ? 'the lock is for the embedded database' : null);

/** Resolves with the exit, or with null when the process is still running after `ms`. */
const exitWithin = (svc: ServiceProcess, ms: number) =>
  Promise.race([svc.exited, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);

(missing ? describe.skip : describe)('one DATA_DIR, one process (embedded database)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-lock-'));
  const env = { DATA_DIR: dataDir, RATE_LIMITS: 'off', OUTBOX_POLL_MS: '200' };
  const alias = `lock-${randomUUID().slice(0, 8)}`;
  const email = `owner@${alias}.test`;
  const running: ServiceProcess[] = [];
  const start = async (name: string) => {
    const svc = await startService({ name, env, waitReady: true });
    running.push(svc);
    return svc;
  };
  const logsIn = async (svc: ServiceProcess) =>
    (await call(svc, 'POST', '/v3/accounts/login', { body: { accountAlias: alias, email, password: STRONG_PASSWORD } }))
      .status;

  let first: ServiceProcess;

  beforeAll(async () => {
    first = await start('first');
    const signed = await call(first, 'POST', '/v3/accounts', {
      body: { name: 'Lock', alias, email, password: STRONG_PASSWORD, firstName: 'Lo', lastName: 'Ck' },
    });
    expect(signed.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((svc) => svc.stop('SIGKILL')));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('a second process on the same DATA_DIR exits non-zero with one line naming the directory, the holder and DATABASE_URL; the first keeps serving', async () => {
    const second = await spawnService({ name: 'second', env });
    running.push(second);
    const exit: Exit | null = await exitWithin(second, 60_000);
    const output = second.output.join('\n');
    expect({ exit, output }).toEqual({ exit: { code: 1, signal: null }, output: expect.any(String) });
    const lines = second.output.filter((l) => l.includes(dataDir));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`pid ${first.pid}`);
    expect(lines[0]).toContain('DATABASE_URL');
    // Refused before the database was opened: nothing of Nest's start-up was printed.
    expect(output).not.toMatch(/Nest application|RouterExplorer|InstanceLoader/);

    expect(first.alive()).toBe(true);
    expect((await call(first, 'GET', '/health/ready')).status).toBe(200);
    expect(await logsIn(first)).toBe(200);
  }, 90_000);

  it('after a clean stop, the next process starts and has everything written through the first', async () => {
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const again = await start('again');
    expect(await logsIn(again)).toBe(200);
    first = again;
  }, 120_000);

  it('clients that connect to the lock and hang up at once never take the holder down', async () => {
    const address = lockAddress(dataDir);
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ path: address }, () => {
          socket.destroy();
          resolve();
        });
        socket.on('error', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(first.alive()).toBe(true);
    expect((await call(first, 'GET', '/health/ready')).status).toBe(200);
  }, 60_000);

  it('a bind mount of the DATA_DIR is the same directory: a process started on it is refused', async () => {
    const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-lock-bind-'));
    const mounted = spawnSync('mount', ['--bind', dataDir, mountPoint]).status === 0;
    try {
      // Without the privilege to mount (most containers), there is nothing to show.
      if (!mounted) return;
      const second = await spawnService({ name: 'bind-mount', env: { ...env, DATA_DIR: mountPoint } });
      running.push(second);
      expect(await exitWithin(second, 60_000)).toEqual({ code: 1, signal: null });
      expect(second.output.join('\n')).toContain(`pid ${first.pid}`);
      expect(first.alive()).toBe(true);
    } finally {
      if (mounted) spawnSync('umount', [mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  }, 90_000);

  it('a SIGKILLed holder never blocks the restart', async () => {
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const restarted = await start('after-kill');
    expect(await logsIn(restarted)).toBe(200);
  }, 120_000);
});
