import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { api, createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createUser, signUp, type SignedUp } from '../helpers/factories.js';
import { closeWithoutLeaks, guardSecrets, type SecretLedger } from '../helpers/secrets.js';

const FOREIGN = 'https://evil.example.test';
const PORTAL = 'https://portal.example.test';

/** What helmet sets on every API response; none of it may go missing on an error path. */
const SECURITY_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'strict-transport-security': /max-age=\d+/,
  'content-security-policy': /default-src 'self'.*frame-ancestors 'self'/,
  'x-frame-options': /^SAMEORIGIN$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'x-dns-prefetch-control': /^off$/,
  'x-permitted-cross-domain-policies': /^none$/,
};

/** The security headers `res` lacks, and X-Powered-By when it is there. */
function headerProblems(res: Response): string[] {
  const problems = Object.entries(SECURITY_HEADERS)
    .filter(([name, want]) => !want.test(String(res.headers[name] ?? '')))
    .map(([name]) => `missing ${name}`);
  if (res.headers['x-powered-by'] !== undefined) problems.push('x-powered-by present');
  return problems;
}

describe('security headers, CORS closed by default, body limit', () => {
  let t: TestApp;
  let ledger: SecretLedger;
  let a: SignedUp;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    ledger = await guardSecrets(t);
    a = await signUp(t);
    ledger.add(a.password);
  }, 120_000);
  afterAll(() => closeWithoutLeaks(t, ledger));

  it('sets the security headers and no X-Powered-By on success and on every kind of error', async () => {
    const responses = [
      await api(t).get('/health'),
      await api(t).get(`/v3/accounts/${a.account.id}`).set(bearer(a.accessToken)),
      await api(t).get('/v3/users'),
      await api(t).get('/v3/users').set(bearer(a.accessToken)).query({ limit: 0 }),
      await api(t).get('/v3/nothing-here'),
      await api(t).post('/v3/accounts').set('content-type', 'text/plain').send('x'),
      await api(t).post('/v3/accounts/login').set('content-type', 'application/json').send('{"a":'),
      await api(t)
        .post('/v3/accounts')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(150_000) })),
      await api(t).get('/v3/users?access_token=lk_pat_x'),
      // A URL the router cannot decode is refused before any hook runs.
      await api(t).get('/v3/users/%E0%A4%A'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 400, 404, 415, 400, 413, 400, 400]);
    const problems = responses.map((r) => ({ status: r.status, problems: headerProblems(r) }));
    expect(problems).toEqual(responses.map((r) => ({ status: r.status, problems: [] })));
    for (const r of responses) {
      expect(r.headers['x-request-id']).toMatch(/^[\w.:-]+$/);
      if (r.status >= 400)
        expect(r.body).toEqual(expect.objectContaining({ statusCode: r.status, code: expect.any(String) }));
    }
  });

  it('answers responses that carry a secret with Cache-Control: no-store', async () => {
    const user = await createUser(t, a.accessToken);
    const secretResponses = [
      await api(t)
        .post('/v3/accounts')
        .send({
          name: 'Nostore Ltd',
          alias: `nostore-${Date.now().toString(36)}`,
          email: 'ned@nostore.test',
          password: a.password,
          firstName: 'Ned',
          lastName: 'Stark',
        }),
      await api(t)
        .post('/v3/accounts/login')
        .send({ accountAlias: a.account.alias, email: a.user.email, password: a.password }),
      await api(t)
        .post('/v3/personal-access-tokens')
        .set(bearer(a.accessToken))
        .send({ name: 'ci', scopes: ['user:read'] }),
      await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({}),
    ];
    expect(secretResponses.map((r) => r.status)).toEqual([201, 200, 201, 201]);
    for (const res of secretResponses) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('gives /docs its own policy without loading anything from other origins', async () => {
    const res = await api(t).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.text).not.toMatch(/<script[^>]+src="https?:/);
  });

  it('sends no Access-Control-Allow-Origin to a foreign origin, on a preflight or a request', async () => {
    const preflight = await api(t)
      .options('/v3/accounts/login')
      .set('Origin', FOREIGN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await api(t).get(`/v3/accounts/${a.account.id}`).set(bearer(a.accessToken)).set('Origin', FOREIGN);
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers OPTIONS like any method a path does not have: 405 with Allow, or 404 (no CORS_ORIGINS)', async () => {
    const known = await api(t).options('/v3/users').set(bearer(a.accessToken));
    expect({ status: known.status, allow: known.headers.allow, code: known.body.code }).toEqual({
      status: 405,
      allow: 'GET, HEAD, POST',
      code: 'METHOD_NOT_ALLOWED',
    });
    const unknown = await api(t).options('/v3/no-such-thing');
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses a body over the default 100 KB limit with 413 in the error shape', async () => {
    const over = JSON.stringify({ name: 'x'.repeat(102_400) });
    const res = await api(t).post('/v3/accounts').set('content-type', 'application/json').send(over);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: expect.any(String),
      code: 'PAYLOAD_TOO_LARGE',
    });
    const under = JSON.stringify({ name: 'x'.repeat(90_000) });
    const ok = await api(t).post('/v3/accounts').set('content-type', 'application/json').send(under);
    expect(ok.status).toBe(400);
    expect(ok.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('CORS_ORIGINS and BODY_LIMIT_BYTES', () => {
  let t: TestApp;
  let ledger: SecretLedger;

  beforeAll(async () => {
    t = await createTestApp({
      OUTBOX_WORKER: 'off',
      CORS_ORIGINS: `${PORTAL}, https://admin.example.test`,
      BODY_LIMIT_BYTES: '4096',
    });
    ledger = await guardSecrets(t);
  }, 120_000);
  afterAll(() => closeWithoutLeaks(t, ledger));

  it('answers a preflight from a listed origin, and only from a listed one', async () => {
    const preflight = (origin: string) =>
      api(t)
        .options('/v3/users')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
    const listed = await preflight(PORTAL);
    expect(listed.status).toBe(204);
    expect(listed.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(listed.headers['access-control-allow-methods']).toContain('POST');
    expect(listed.headers['access-control-allow-headers']).toMatch(/authorization/i);
    expect(listed.headers['access-control-max-age']).toBe('600');
    expect(listed.headers['vary']).toMatch(/Origin/i);
    const other = await preflight(FOREIGN);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a listed origin read X-Total-Count and Retry-After, and nobody else', async () => {
    const listed = await api(t).get('/v3/users').set('Origin', 'https://admin.example.test');
    expect(listed.status).toBe(401);
    expect(listed.headers['access-control-allow-origin']).toBe('https://admin.example.test');
    expect(listed.headers['access-control-expose-headers']).toMatch(/X-Total-Count/);
    expect(listed.headers['access-control-expose-headers']).toMatch(/Retry-After/);
    const other = await api(t).get('/v3/users').set('Origin', FOREIGN);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('applies the configured body limit', async () => {
    const send = (size: number) =>
      api(t)
        .post('/v3/accounts/login')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ accountAlias: 'x'.repeat(size), email: 'a@b.test', password: 'p' }));
    const over = await send(5000);
    expect(over.status).toBe(413);
    expect(over.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await send(3000)).status).toBe(400);
  });
});
