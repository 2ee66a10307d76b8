import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, createTestApp, type TestApp } from './helpers/app.js';

describe('operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => t?.close());

  it('GET /health is 200', async () => {
    const res = await api(t).get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('GET /health/ready is 200 while the database answers', async () => {
    const res = await api(t).get('/health/ready');
    expect(res.status).toBe(200);
  });

  it('GET / redirects to the API documentation (302 to /docs)', async () => {
    const res = await api(t).get('/');
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 302, location: '/docs' });
    expect((await api(t).head('/')).status).toBe(302);
  });

  it('GET /docs/ redirects to /docs, whose page loads its files relative to its own URL', async () => {
    const res = await api(t).get('/docs/?x=1');
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 301, location: '/docs?x=1' });
    const page = await api(t).get('/docs');
    const assets = [...page.text.matchAll(/(?:href|src)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets)
      expect({ asset, status: (await api(t).get(`/${asset}`)).status }).toEqual({ asset, status: 200 });
  });

  it('an unknown route is 404 NOT_FOUND in the error shape', async () => {
    const res = await api(t).get('/v3/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String), code: 'NOT_FOUND' });
  });

  it('a non-JSON body is 415', async () => {
    const res = await api(t).post('/v3/accounts').set('content-type', 'text/plain').send('hello');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversized body is 413', async () => {
    const res = await api(t)
      .post('/v3/accounts')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(200_000) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('malformed JSON is 400 VALIDATION_FAILED', async () => {
    const res = await api(t).post('/v3/accounts').set('content-type', 'application/json').send('{"a":');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('a token in the query string is refused', async () => {
    const res = await api(t).get('/v3/users?access_token=lk_pat_x');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('body parser errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => t?.close());

  it('never quote the body back', async () => {
    const secret = 'lk_rst_NOTAREALTOKENbutitlookslikeone';
    const res = await api(t)
      .post('/v3/accounts/login')
      .set('content-type', 'application/json')
      .send(`{"password": ${secret}}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('NOTAREALTOKEN');
  });

  it('on reset-password, a body that is not JSON is RESET_TOKEN_INVALID: it holds no live token', async () => {
    const res = await api(t)
      .post('/v3/users/00000000-0000-4000-8000-000000000000/reset-password')
      .set('content-type', 'application/json')
      .send('{"token": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RESET_TOKEN_INVALID');
  });
});
