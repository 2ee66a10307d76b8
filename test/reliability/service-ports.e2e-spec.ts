import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ephemeralLow, freePort, listensOn } from '../helpers/ports.js';
import { builtServiceMissing, type ServiceProcess, startService } from '../helpers/service-process.js';

// The ports the suites' own services and servers are started on, and how a started service is known to be
// the one that answers. The database behind it makes no difference here.
const missing = builtServiceMissing() ?? (process.env.TEST_DATABASE_URL ? 'runs once, on the embedded run' : null);

const listen = async (server: net.Server, port = 0) => {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
};
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('ports for the services a test starts', () => {
  it('are never ones the kernel hands out for listen(0), as SuperTest does for every request', async () => {
    const servers = Array.from({ length: 40 }, () => net.createServer());
    try {
      const kernel = new Set(await Promise.all(servers.map((s) => listen(s))));
      const chosen = [];
      for (let i = 0; i < 40; i++) chosen.push(await freePort());
      for (const port of chosen) {
        expect(kernel.has(port)).toBe(false);
        expect(port).toBeLessThan(ephemeralLow());
      }
      // Consecutive choices differ, so a port a stopped service leaves is not handed out again at once.
      expect(new Set(chosen).size).toBe(chosen.length);
    } finally {
      await Promise.all(servers.map(close));
    }
  });

  (process.platform === 'linux' ? it : it.skip)('listensOn tells whose socket listens on a port', async () => {
    const server = net.createServer();
    const port = await listen(server);
    expect(listensOn(process.pid, port)).toBe(true);
    expect(listensOn(process.ppid, port)).toBe(false);
    await close(server);
    expect(listensOn(process.pid, port)).toBe(false);
  });
});

(missing ? describe.skip : describe)('startService', () => {
  const running: ServiceProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-ports-'));

  afterAll(async () => {
    await Promise.all(running.map((svc) => svc.stop('SIGKILL')));
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('does not take another server that answers /health on its port, meanwhile, for the service', async () => {
    // The service's node waits 1.5 s before it starts; meanwhile another server holds the port for 0.6 s and
    // answers every request with 200, like an in-process test app that SuperTest has listening.
    const port = await freePort();
    const impostor = http.createServer((_req, res) => res.end('{"status":"ok"}'));
    await listen(impostor, port);
    const released = new Promise((resolve) => setTimeout(resolve, 600)).then(() => {
      impostor.closeAllConnections();
      return close(impostor);
    });
    const delay = path.join(dir, 'delay.mjs');
    fs.writeFileSync(delay, 'await new Promise((resolve) => setTimeout(resolve, 1500));\n');
    try {
      const svc = await startService({ name: 'late', port, env: { NODE_OPTIONS: `--import=${delay}` } });
      running.push(svc);
      expect(listensOn(svc.pid, port)).toBe(true);
      const res = await fetch(`${svc.url}/v3/openapi.json`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
    } finally {
      await released;
    }
  }, 120_000);
});
