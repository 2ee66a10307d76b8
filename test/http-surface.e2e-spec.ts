/**
 * Answers a generated client or API tester meets at the edges of the contract: methods a path does not
 * have, methods Node cannot parse, RFC 3339 instants, and the messages for missing fields.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createUser, signUp, type SignedUp } from './helpers/factories.js';

jest.setTimeout(120_000);

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

/** Sends raw bytes and returns the whole answer, status line, headers and body. */
async function raw(
  port: number,
  text: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
  const [head, ...rest] = answer.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('the HTTP surface', () => {
  let t: TestApp;
  let a: SignedUp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    a = await signUp(t);
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as net.AddressInfo).port;
  });
  afterAll(() => t.close());

  describe('a route that takes no body', () => {
    it('refuses fields in one with 400 VALIDATION_FAILED and does nothing; an empty object or no body is fine', async () => {
      const user = await createUser(t, a.accessToken);
      const del = await api(t).delete(`/v3/users/${user.id}`).set(bearer(a.accessToken)).send({ force: true });
      expect({ status: del.status, body: del.body }).toEqual({
        status: 400,
        body: expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: [{ field: 'force', message: 'force is not a known field' }],
        }),
      });
      await api(t).get(`/v3/users/${user.id}`).set(bearer(a.accessToken)).expect(200);
      // As for a body a route validates: 401 and 403 come first.
      expect((await api(t).delete(`/v3/users/${user.id}`).send({ force: true })).status).toBe(401);
      const session = (await signUp(t)).accessToken;
      const logout = await api(t).post('/v3/accounts/logout').set(bearer(session)).send({ everywhere: true });
      expect({ status: logout.status, code: logout.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      const array = await api(t).post('/v3/accounts/logout').set(bearer(session)).send([1]);
      expect({ status: array.status, code: array.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      await api(t).get('/v3/personal-access-tokens').set(bearer(session)).expect(200);
      await api(t).post('/v3/accounts/logout').set(bearer(session)).send({}).expect(204);
      await api(t).delete(`/v3/users/${user.id}`).set(bearer(a.accessToken)).expect(204);
    });
  });

  describe('a method a path does not have', () => {
    it('is 405 with Allow in the error shape', async () => {
      const res = await api(t).put('/v3/users').set(bearer(a.accessToken)).send({});
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
      expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('is 405 on a path with an id too, and 404 on a path that does not exist', async () => {
      const res = await api(t).put(`/v3/users/${a.user.id}`).send({});
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
      const missing = await api(t).put('/v3/no-such-thing').send({});
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });

    it('QUERY without a body is 405 or 404, never a body error', async () => {
      const known = await raw(port, 'QUERY /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(known.status).toBe(405);
      expect(known.headers.allow).toBe('GET, HEAD');
      expect(JSON.parse(known.body).code).toBe('METHOD_NOT_ALLOWED');
      const unknown = await raw(port, 'QUERY /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body).code).toBe('NOT_FOUND');
    });
  });

  describe("helmet's headers, each with helmet's own value", () => {
    /** What helmet's defaults set on a response, lower-cased as an HTTP client reads them. */
    const helmetDefaults = (): Record<string, string> => {
      const set: Record<string, string> = {};
      const res = {
        setHeader: (name: string, value: unknown) => (set[name.toLowerCase()] = String(value)),
        removeHeader: (name: string) => delete set[name.toLowerCase()],
      };
      helmet()({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
      return set;
    };

    it('on a success, an error of a route, an unrouted path and a body error alike', async () => {
      const expected = helmetDefaults();
      expect(Object.keys(expected).length).toBeGreaterThan(8);
      const answers = [
        await api(t).get('/health'),
        await api(t).get(`/v3/users/${a.user.id}`).set(bearer(a.accessToken)),
        await api(t).get('/v3/users/not-a-uuid').set(bearer(a.accessToken)),
        await api(t).get('/v3/users'),
        await api(t).get('/v3/no-such-thing'),
        await api(t).post('/v3/users').set(bearer(a.accessToken)).set('content-type', 'application/json').send('{'),
      ];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 400, 401, 404, 400]);
      for (const res of answers) {
        for (const [name, value] of Object.entries(expected)) expect([name, res.headers[name]]).toEqual([name, value]);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('every API answer is no-store, errors included; the public OpenAPI document may be cached', async () => {
      const answers = [
        await api(t).get(`/v3/users/${a.user.id}`).set(bearer(a.accessToken)),
        await api(t).get('/v3/users').set(bearer(a.accessToken)),
        await api(t).get(`/v3/accounts/${a.account.id}/email-templates`).set(bearer(a.accessToken)),
        await api(t).get('/v3/event-logs').set(bearer(a.accessToken)),
        await api(t).get('/v3/users/not-a-uuid').set(bearer(a.accessToken)),
        await api(t).get('/v3/users'),
        await api(t).get('/v3/no-such-thing'),
      ];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 400, 401, 404]);
      expect(answers.map((r) => r.headers['cache-control'])).toEqual(Array(answers.length).fill('no-store'));
      expect((await api(t).get('/v3/openapi.json')).headers['cache-control']).toBeUndefined();
    });

    it("and the docs their own policy, which lets Swagger UI's inline styles in", async () => {
      const res = await api(t).get('/docs');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  it('a method Node cannot parse gets the error shape, the security headers and a request id', async () => {
    const res = await raw(port, 'FOO /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
    expect(body.statusCode).toBe(400);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeTruthy();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  describe('RFC 3339 instants', () => {
    it.each(['0020-04-20T00:00:01Z', '0000-01-01T00:00:00Z', '2020-04-20t10:00:00z', '2020-04-20T12:00:00.5+02:00'])(
      'event-log from=%s is accepted',
      async (from) => {
        const res = await api(t).get('/v3/event-logs').query({ from }).set(bearer(a.accessToken));
        expect(res.status).toBe(200);
      },
    );

    it('a lower-case expiresAt of a token is read as the instant it names', async () => {
      const res = await api(t)
        .post('/v3/personal-access-tokens')
        .set(bearer(a.accessToken))
        .send({ name: 'lower case', scopes: ['user:read'], expiresAt: '2099-01-02t03:04:05z' });
      expect(res.status).toBe(201);
      expect(res.body.expiresAt).toBe('2099-01-02T03:04:05.000Z');
    });

    // ISO 8601 forms that are no RFC 3339 instant: a time without an offset would be read in the server's zone, and
    // `Date` cannot read a week date, the basic format or an hour alone (those answered 500).
    it.each(['2026-W01', '2026-W01-1T10:00:00Z', '20260101', '2026-01-01T10', '2030-01-01T00:00:00', '2026-01-01'])(
      'event-log from=%s and a token expiring then are 400 VALIDATION_FAILED',
      async (instant) => {
        const list = await api(t).get('/v3/event-logs').query({ from: instant }).set(bearer(a.accessToken));
        expect(list.status).toBe(400);
        expect(list.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'from' }] });
        const pat = await api(t)
          .post('/v3/personal-access-tokens')
          .set(bearer(a.accessToken))
          .send({ name: 'no instant', scopes: ['user:read'], expiresAt: instant.replace(/^2026/, '2099') });
        expect(pat.status).toBe(400);
        expect(pat.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'expiresAt' }] });
      },
    );

    it('what is not an instant is still 400', async () => {
      const res = await api(t).get('/v3/event-logs').query({ from: '2020-02-30T00:00:00Z' }).set(bearer(a.accessToken));
      expect(res.status).toBe(400);
    });
  });

  describe('missing fields', () => {
    it('say they are required, once each', async () => {
      const res = await api(t).post('/v3/users').set(bearer(a.accessToken)).send({ email: 'ada@example.com' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'firstName', message: 'firstName is required' },
        { field: 'lastName', message: 'lastName is required' },
      ]);
    });

    it('a template with only a subject is told that htmlBody or textBody is required', async () => {
      const res = await api(t)
        .put(`/v3/accounts/${a.account.id}/email-templates/user.password-changed`)
        .set(bearer(a.accessToken))
        .send({ subject: 'Hello' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'htmlBody', message: 'htmlBody or textBody is required' }]);
    });

    it('a present but wrong field still lists what is wrong with it', async () => {
      const res = await api(t)
        .post('/v3/users')
        .set(bearer(a.accessToken))
        .send({ email: 'ada@example.com', firstName: '', lastName: 'Love\u200blace' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'firstName', message: 'firstName must be 1 to 100 characters' },
        { field: 'lastName', message: 'lastName must not contain control or format characters' },
      ]);
    });

    it('a field past its length bound is refused before any other rule runs, so only the bounds are listed', async () => {
      const res = await api(t)
        .post('/v3/users')
        .set(bearer(a.accessToken))
        .send({ email: 'not an email', firstName: '', lastName: 'x'.repeat(101) });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'lastName', message: 'lastName must be 1 to 100 characters' }]);
    });
  });
});
