import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generateToken } from '../auth/token-format.js';
import { registerRequestLog } from './request-log.js';
import { stamp } from './security-headers.js';

const SECRETS = {
  pat: generateToken('pat'),
  ses: generateToken('ses'),
  rst: generateToken('rst'),
  // Shaped as webhooks/signing.ts makes it: standard base64, so `/`, `+` and `=` may split or end it.
  whsec: `whsec_${randomBytes(32).toString('base64')}`,
};

/** Every character escaped, as a client may send it: `%6C%6B%5F…`. */
const escaped = (text: string) => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/**
 * An app with the request log and the request id stamp, answering 400 on `/v3/users/…`, listening (light-my-request's
 * `inject` does not load under Jest's ESM mode); the lines it logs.
 */
async function appLogging(logFormat: 'text' | 'json'): Promise<{ app: FastifyInstance; logged: string[] }> {
  const app = Fastify();
  app.addHook('onRequest', (request, reply, done) => {
    stamp(request, reply);
    done();
  });
  registerRequestLog(app, { logLevel: 'log', logFormat });
  app.get('/v3/users/*', (_, reply) => reply.code(400).send({}));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const logged: string[] = [];
  jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
    logged.push(typeof message === 'string' ? message : JSON.stringify(message));
  });
  return { app, logged };
}

/** GET on the app; resolves once the response (and so its log line) is complete. */
async function get(app: FastifyInstance, path: string, headers: Record<string, string> = {}): Promise<number> {
  const { port } = app.server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  await res.arrayBuffer();
  return res.status;
}

describe('request log', () => {
  let app: FastifyInstance | undefined;
  beforeEach(() => (app = undefined));
  afterEach(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  for (const logFormat of ['text', 'json'] as const) {
    for (const [kind, secret] of Object.entries(SECRETS)) {
      it(`redacts a ${kind} secret in the path and the request id (${logFormat})`, async () => {
        const { app: a, logged } = await appLogging(logFormat);
        app = a;
        expect(await get(app, `/v3/users/${secret}?q=1`, { 'x-request-id': SECRETS.pat })).toBe(400);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toContain('/v3/users/[redacted]');
        for (let i = 6; i + 8 <= secret.length; i += 4) expect(logged[0]).not.toContain(secret.slice(i, i + 8));
        expect(logged[0]).not.toContain(SECRETS.pat.slice(7));
      });
    }

    for (const [kind, secret] of Object.entries(SECRETS)) {
      it(`redacts a percent-encoded ${kind} secret in the path (${logFormat})`, async () => {
        const { app: a, logged } = await appLogging(logFormat);
        app = a;
        const half = secret.replace(/[_+/=]/g, (c) => escaped(c));
        for (const path of [`/v3/users/${escaped(secret)}/x`, `/v3/users/${half}`]) {
          expect(await get(app, path)).toBe(400);
        }
        expect(logged).toHaveLength(2);
        for (const line of logged) {
          expect(line).toContain('/v3/users/[redacted]');
          for (let i = 6; i + 8 <= secret.length; i += 4) expect(line).not.toContain(secret.slice(i, i + 8));
        }
      });
    }

    it(`logs an ordinary path and request id as they are (${logFormat})`, async () => {
      const { app: a, logged } = await appLogging(logFormat);
      app = a;
      await get(app, '/v3/users/0190f5d0-5b7e-7c4a-9a3e-1f2d3c4b5a69', { 'x-request-id': 'req-42' });
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('/v3/users/0190f5d0-5b7e-7c4a-9a3e-1f2d3c4b5a69');
      expect(logged[0]).toContain('req-42');
    });
  }
});
