import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import dns from 'node:dns';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

import { defaultResolver, pinnedLookup, postWebhook, type PostResult, type Resolver } from './safe-post.js';

/**
 * Every server here listens on 127.0.0.1 (one stand-in on 127.0.0.2). So that no test, not even one
 * run against a broken postWebhook, ever reaches another machine, every socket this process opens
 * goes through `guardConnections`: loopback addresses are kept, any other address is recorded and
 * replaced by 127.0.0.2 (same port).
 */

/** Every address a socket of this process tried to reach, in order. */
const attempts: string[] = [];
/** The non-loopback addresses among them, each handed to 127.0.0.2 instead. */
const redirected: string[] = [];
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  attempts.length = 0;
  redirected.length = 0;
  guardConnections();
});

afterEach(async () => {
  jest.restoreAllMocks();
  while (closers.length > 0) await closers.pop()?.();
  expect(redirected).toEqual([]);
});

function guardConnections(): void {
  const original = net.Socket.prototype.connect;
  const keep = (address: string): string => {
    attempts.push(address);
    if (address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address)) return address;
    redirected.push(address);
    return '127.0.0.2';
  };
  jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as net.TcpNetConnectOpts | undefined;
    if (typeof options === 'object' && options !== null && !('path' in options)) {
      const host = options.host ?? 'localhost';
      if (net.isIP(host) !== 0) {
        options.host = keep(host);
      } else {
        const lookup = options.lookup ?? (dns.lookup as net.LookupFunction);
        options.lookup = (hostname, lookupOptions, callback) =>
          lookup(hostname, lookupOptions, (error, address, family) => {
            if (error !== null) callback(error, address, family);
            else if (Array.isArray(address))
              callback(
                error,
                address.map((a) => ({ ...a, address: keep(a.address) })),
              );
            else callback(error, keep(address), family);
          });
      }
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original);
}

async function listen(server: net.Server, host = '127.0.0.1', port = 0): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

/** A TCP listener that records every connection and answers none. */
async function recordingListener(host = '127.0.0.1', port = 0): Promise<{ port: number; connections: string[] }> {
  const connections: string[] = [];
  const server = net.createServer((socket) => {
    connections.push(`${socket.remoteAddress}`);
    socket.destroy();
  });
  return { port: await listen(server, host, port), connections };
}

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP server that records each request and lets `answer` reply (or not). */
async function receiver(
  answer: (response: http.ServerResponse, received: Received) => void = (response) => response.end('ok'),
  host = '127.0.0.1',
  port = 0,
): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      answer(response, entry);
    });
  });
  return { port: await listen(server, host, port), received };
}

/** A resolver that answers each call with the next list (the last one repeats), counting calls. */
function resolverOf(...answers: string[][]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    const answer = answers[Math.min(calls.length, answers.length - 1)];
    calls.push(hostname);
    return answer.map((address) => ({ address, family: net.isIP(address) === 6 ? (6 as const) : (4 as const) }));
  };
  return Object.assign(resolve, { calls });
}

const privateOff = (resolve?: Resolver) => ({ timeoutMs: 2000, allowPrivateNetworks: false, resolve });
const privateOn = (resolve?: Resolver, timeoutMs = 2000) => ({ timeoutMs, allowPrivateNetworks: true, resolve });
const refusedResult: Partial<PostResult> = { status: null, error: 'address not allowed' };

describe('postWebhook with private networks not allowed', () => {
  let listener: { port: number; connections: string[] };

  beforeEach(async () => {
    listener = await recordingListener();
  });

  afterEach(async () => {
    // Give a connection that should not exist time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listener.connections).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it.each([
    (port: number) => `https://127.0.0.1:${port}/in`,
    (port: number) => `http://127.0.0.1:${port}/in`,
    (port: number) => `http://localhost:${port}/in`,
    (port: number) => `https://localhost:${port}/in`,
    (port: number) => `https://hooks.localhost:${port}/in`,
    (port: number) => `https://0x7f000001:${port}/in`,
    (port: number) => `https://[::ffff:127.0.0.1]:${port}/in`,
    (port: number) => `https://[::1]:${port}/in`,
    (port: number) => `https://0.0.0.0:${port}/in`,
  ])('refuses %p without resolving or connecting', async (url) => {
    const resolve = resolverOf(['127.0.0.1']);
    const result = await postWebhook(url(listener.port), '{}', {}, privateOff(resolve));
    expect(result).toMatchObject(refusedResult);
    expect(resolve.calls).toEqual([]);
  });

  it.each([
    [['127.0.0.1']],
    [['8.8.8.8', '127.0.0.1']],
    [['127.0.0.1', '8.8.8.8']],
    [['2606:4700:4700::1111', '::1']],
    [['::ffff:127.0.0.1']],
    [['64:ff9b::7f00:1']],
    [['2002:7f00:1::1']],
    [['169.254.169.254']],
    [['10.0.0.1']],
    [['not an address']],
  ])('refuses a public-looking name that resolves to %j', async (addresses) => {
    const resolve = resolverOf(addresses);
    const result = await postWebhook(`https://hooks.example.com:${listener.port}/in`, '{}', {}, privateOff(resolve));
    expect(result).toMatchObject(refusedResult);
    expect(resolve.calls).toEqual(['hooks.example.com']);
  });

  it('refuses plain http to a public name as an invalid URL, without resolving', async () => {
    const resolve = resolverOf(['8.8.8.8']);
    const result = await postWebhook(`http://hooks.example.com:${listener.port}/in`, '{}', {}, privateOff(resolve));
    expect(result).toMatchObject({ status: null, error: 'invalid URL' });
    expect(resolve.calls).toEqual([]);
  });
});

describe('postWebhook pins the connection to the address it checked', () => {
  it('connects to the public address of the one resolution, not to what a second lookup gives', async () => {
    const PUBLIC = '192.0.0.9'; // globally reachable per IANA (PCP anycast); the guard hands it to 127.0.0.2
    const loopback = await recordingListener('127.0.0.1');
    const standIn = await recordingListener('127.0.0.2', loopback.port);
    const resolve = resolverOf([PUBLIC], ['127.0.0.1']);

    const result = await postWebhook(`https://hooks.example.com:${loopback.port}/in`, '{}', {}, privateOff(resolve));

    expect(resolve.calls).toEqual(['hooks.example.com']);
    expect(attempts).toEqual([PUBLIC]);
    expect(redirected.splice(0)).toEqual([PUBLIC]);
    expect(standIn.connections).toHaveLength(1);
    expect(loopback.connections).toEqual([]);
    // The stand-in hangs up at once: what matters is where the connection went.
    expect(result.status).toBeNull();
    expect(result.error).not.toBe('address not allowed');
  });

  it('with private networks allowed, a second resolution to another address changes nothing', async () => {
    const server = await receiver();
    const resolve = resolverOf(['127.0.0.1'], ['127.0.0.3']);
    const result = await postWebhook(`http://hooks.localhost:${server.port}/in`, '{}', {}, privateOn(resolve));
    expect(result).toMatchObject({ status: 200, error: null });
    expect(resolve.calls).toEqual(['hooks.localhost']);
    expect(server.received).toHaveLength(1);
  });

  it('tries each checked address in turn (Node asks its lookup for all of them)', async () => {
    const server = await receiver();
    const resolve = resolverOf(['::1', '127.0.0.1']);
    const result = await postWebhook(`http://localhost:${server.port}/in`, '{}', {}, privateOn(resolve));
    expect(result).toMatchObject({ status: 200, error: null });
    expect(resolve.calls).toEqual(['localhost']);
  });

  it('answers both shapes of lookup call with the checked addresses only', async () => {
    const lookup = pinnedLookup([
      { address: '2606:4700:4700::1111', family: 6 },
      { address: '8.8.8.8', family: 4 },
    ]);
    const call = (options: { all?: boolean; family?: number }) =>
      new Promise<unknown[]>((resolve) =>
        lookup('hooks.example.com', options, (error, address, family) => resolve([error, address, family])),
      );
    expect(await call({ all: true })).toEqual([
      null,
      [
        { address: '2606:4700:4700::1111', family: 6 },
        { address: '8.8.8.8', family: 4 },
      ],
      undefined,
    ]);
    expect(await call({})).toEqual([null, '2606:4700:4700::1111', 6]);
    expect(await call({ family: 4 })).toEqual([null, '8.8.8.8', 4]);
    expect(await call({ family: 4, all: true })).toEqual([null, [{ address: '8.8.8.8', family: 4 }], undefined]);
    const error = await new Promise<unknown>((resolve) =>
      pinnedLookup([{ address: '8.8.8.8', family: 4 }])('h', { family: 6 }, (e) => resolve(e)),
    );
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('postWebhook delivery', () => {
  const headers = {
    'content-type': 'application/json',
    'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    'webhook-timestamp': '1700000000',
    'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,bm9wZQ==',
  };
  const body = JSON.stringify({ type: 'user.deleted', timestamp: '2026-11-30T07:00:00.000Z', data: { name: 'Zoë ✓' } });

  it('returns 200 and delivers the headers and body exactly as given', async () => {
    const server = await receiver((response) => response.writeHead(200).end('thanks'));
    const result = await postWebhook(
      `http://localhost:${server.port}/hooks/in?source=latchkey&x=%20`,
      body,
      { ...headers, Host: 'metadata.internal', 'Content-Length': '1', Connection: 'keep-alive' },
      privateOn(resolverOf(['127.0.0.1'])),
    );
    expect(result).toEqual({ status: 200, error: null, durationMs: expect.any(Number) });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/in?source=latchkey&x=%20');
    expect(request.body).toBe(body);
    expect(request.headers).toMatchObject(headers);
    expect(request.headers['user-agent']).toBe('Latchkey-Webhooks/1');
    expect(request.headers.host).toBe(`localhost:${server.port}`);
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(request.headers.connection).toBe('close');
  });

  it('delivers to a name under .localhost through the default resolver', async () => {
    const server = await receiver((response) => response.writeHead(204).end());
    const result = await postWebhook(`http://portal.localhost:${server.port}/in`, body, headers, privateOn());
    expect(result).toMatchObject({ status: 204, error: null });
    expect(server.received).toHaveLength(1);
  });

  it('keeps a user-agent the caller gives', async () => {
    const server = await receiver();
    await postWebhook(
      `http://localhost:${server.port}/`,
      '',
      { 'User-Agent': 'Portal-Test/2' },
      privateOn(resolverOf(['127.0.0.1'])),
    );
    expect(server.received[0].headers['user-agent']).toBe('Portal-Test/2');
  });

  it.each([301, 302, 303, 307, 308])('returns a %d as it is and does not follow it', async (code) => {
    const elsewhere = await receiver();
    const server = await receiver((response) =>
      response.writeHead(code, { location: `http://localhost:${elsewhere.port}/elsewhere` }).end(),
    );
    const result = await postWebhook(
      `http://localhost:${server.port}/in`,
      body,
      headers,
      privateOn(resolverOf(['127.0.0.1'])),
    );
    expect(result).toMatchObject({ status: code, error: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(elsewhere.received).toEqual([]);
  });

  it('returns an error status with error null', async () => {
    const server = await receiver((response) => response.writeHead(500).end('boom'));
    const result = await postWebhook(
      `http://localhost:${server.port}/in`,
      body,
      headers,
      privateOn(resolverOf(['127.0.0.1'])),
    );
    expect(result).toMatchObject({ status: 500, error: null });
  });

  it('stops at a server that never answers, within the timeout', async () => {
    const server = await receiver(() => undefined);
    const started = Date.now();
    const result = await postWebhook(
      `http://localhost:${server.port}/in`,
      body,
      headers,
      privateOn(resolverOf(['127.0.0.1']), 300),
    );
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: null, error: 'timeout' });
    expect(server.received).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 1500);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('counts resolution in the timeout', async () => {
    const resolve: Resolver = () => new Promise(() => undefined);
    const started = Date.now();
    const result = await postWebhook('https://hooks.example.com/in', body, headers, {
      timeoutMs: 200,
      allowPrivateNetworks: false,
      resolve,
    });
    expect(result).toMatchObject({ status: null, error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(200 + 1500);
  });

  it('returns the status of a response whose body never ends, at the timeout', async () => {
    const server = await receiver((response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    });
    const result = await postWebhook(
      `http://localhost:${server.port}/in`,
      body,
      headers,
      privateOn(resolverOf(['127.0.0.1']), 300),
    );
    expect(result).toMatchObject({ status: 200, error: null });
  });

  it('reads a large response body only up to a bound', async () => {
    const server = await receiver((response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const writeMore = (): void => {
        while (response.write(chunk));
        response.once('drain', writeMore);
      };
      response.on('error', () => undefined);
      writeMore();
    });
    const result = await postWebhook(
      `http://localhost:${server.port}/in`,
      body,
      headers,
      privateOn(resolverOf(['127.0.0.1']), 5000),
    );
    expect(result).toMatchObject({ status: 200, error: null });
    expect(result.durationMs).toBeLessThan(4000);
  });

  it('reports a reset connection in a short line', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const port = await listen(server);
    const result = await postWebhook(
      `http://localhost:${port}/in`,
      body,
      headers,
      privateOn(resolverOf(['127.0.0.1'])),
    );
    expect(result).toMatchObject({ status: null, error: 'connection reset' });
  });

  it('reports a closed port, a garbled answer and a failed lookup without details', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.end('NOT HTTP\r\n\r\n')));
    const garbled = await listen(server);
    const loopback = resolverOf(['127.0.0.1']);

    const refusedServer = net.createServer();
    const refusedPort = await listen(refusedServer);
    await new Promise((resolve) => refusedServer.close(resolve));

    expect(await postWebhook(`http://localhost:${refusedPort}/in`, body, headers, privateOn(loopback))).toMatchObject({
      status: null,
      error: 'connection refused',
    });
    expect(await postWebhook(`http://localhost:${garbled}/in`, body, headers, privateOn(loopback))).toMatchObject({
      status: null,
      error: 'invalid HTTP response',
    });
    const failing: Resolver = () =>
      Promise.reject(
        Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.com 10.1.2.3'), { code: 'ENOTFOUND' }),
      );
    // A failed lookup answers like a refused address, so the answers do not tell which names the resolver knows;
    // with private networks allowed (development) it says what happened.
    const throwing: Resolver = () => {
      throw new Error('resolver bug');
    };
    for (const resolver of [failing, throwing, resolverOf([])]) {
      expect(await postWebhook('https://hooks.example.com/in', body, headers, privateOff(resolver))).toMatchObject({
        status: null,
        error: 'address not allowed',
      });
      expect(await postWebhook('https://hooks.example.com/in', body, headers, privateOn(resolver))).toMatchObject({
        status: null,
        error: 'DNS lookup failed',
      });
    }
    expect(
      await postWebhook('https://hooks.example.com/in', body, headers, privateOff(resolverOf(['10.1.2.3']))),
    ).toMatchObject({ status: null, error: 'address not allowed' });
  });

  it('ignores proxy settings in the environment', async () => {
    const proxy = await recordingListener();
    const server = await receiver();
    const saved = { ...process.env };
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    Object.assign(process.env, {
      HTTP_PROXY: proxyUrl,
      HTTPS_PROXY: proxyUrl,
      http_proxy: proxyUrl,
      https_proxy: proxyUrl,
      ALL_PROXY: proxyUrl,
      all_proxy: proxyUrl,
    });
    try {
      const result = await postWebhook(
        `http://localhost:${server.port}/in`,
        body,
        headers,
        privateOn(resolverOf(['127.0.0.1'])),
      );
      expect(result).toMatchObject({ status: 200, error: null });
    } finally {
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    expect(server.received).toHaveLength(1);
    expect(proxy.connections).toEqual([]);
  });

  it('stops when the caller aborts', async () => {
    const server = await receiver(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await postWebhook(`http://localhost:${server.port}/in`, body, headers, {
      ...privateOn(resolverOf(['127.0.0.1'])),
      signal: controller.signal,
    });
    expect(result).toMatchObject({ status: null, error: 'aborted' });
    expect(result.durationMs).toBeLessThan(1500);
  });

  it('verifies TLS against the URL host name, sent as SNI', async () => {
    const names: string[] = [];
    const requests: string[] = [];
    const server = https.createServer(
      {
        key: TEST_KEY,
        cert: TEST_CERT,
        SNICallback: (name, callback) => {
          names.push(name);
          callback(null);
        },
      },
      (request, response) => {
        requests.push(`${request.url}`);
        response.end();
      },
    );
    const port = await listen(server);
    const resolve = resolverOf(['127.0.0.1']);
    const result = await postWebhook(`https://hooks.example.test:${port}/in`, body, headers, privateOn(resolve));
    expect(result).toMatchObject({ status: null, error: 'TLS error' });
    expect(names).toEqual(['hooks.example.test']);
    const literal = await postWebhook(`https://127.0.0.1:${port}/in`, body, headers, privateOn(resolve));
    expect(literal).toMatchObject({ status: null, error: 'TLS error' });
    expect(names).toEqual(['hooks.example.test']); // no SNI for an IP address
    expect(requests).toEqual([]);
    expect(resolve.calls).toEqual(['hooks.example.test']);
  });

  it('refuses a malformed URL', async () => {
    for (const url of ['not a url', 'ftp://hooks.example.com/', 'https://user:pw@hooks.example.com/']) {
      expect(await postWebhook(url, body, headers, privateOn(resolverOf(['127.0.0.1'])))).toMatchObject({
        status: null,
        error: 'invalid URL',
      });
    }
  });

  it('resolves through the system by default, names under .localhost as localhost', async () => {
    for (const name of ['localhost', 'hooks.localhost', 'a.b.LOCALHOST.']) {
      const addresses = await defaultResolver(name);
      expect(addresses.length).toBeGreaterThan(0);
      for (const { address, family } of addresses) {
        expect(net.isIP(address)).toBe(family);
        expect(address === '::1' || address.startsWith('127.')).toBe(true);
      }
    }
  });
});

// A self-signed certificate for hooks.example.test (valid until 2126), made for these tests only.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/d/i82mhxlvFwL4Y
+ZkNkRHdCuZQr5ggm9HRDnsGonChRANCAATkEN98p4bSW/7snv8PFzJRzVjfgGj1
M7gN4duLjkJUcmgc+IVhePmc32Y0HczpqUh407VIVxKSWqoNxkkZ+Egv
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBsTCCAVagAwIBAgIUflW1+CH1DdY6EdTzxzyh2NsYyKkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSaG9va3MuZXhhbXBsZS50ZXN0MCAXDTI2MTEzMDA3MDgzMVoY
DzIxMjYxMTA2MDcwODMxWjAdMRswGQYDVQQDDBJob29rcy5leGFtcGxlLnRlc3Qw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATkEN98p4bSW/7snv8PFzJRzVjfgGj1
M7gN4duLjkJUcmgc+IVhePmc32Y0HczpqUh407VIVxKSWqoNxkkZ+Egvo3IwcDAd
BgNVHQ4EFgQUEzTQdPVapPNCNpAZag/ivNpLIwYwHwYDVR0jBBgwFoAUEzTQdPVa
pPNCNpAZag/ivNpLIwYwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHREEFjAUghJob29r
cy5leGFtcGxlLnRlc3QwCgYIKoZIzj0EAwIDSQAwRgIhAJK1KMM5/dHblku3eJrL
clstqDg2Iqjl1BTFgGj69UcCAiEA/9opdqYfnmdAYdYPJk/7NwDbflVSA6X4Icp1
Y545MiQ=
-----END CERTIFICATE-----
`;
