import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, createTestApp, type TestApp } from './helpers/app.js';

describe('GET /reset-password (hosted reset page)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves the page with a strict CSP, no referrer and no caching', async () => {
    const res = await api(t).get('/reset-password?userId=00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.text).toContain('<form id="reset-form"');
    // Nothing from another origin: every src and href is a same-origin path.
    for (const [, url] of res.text.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url.startsWith('/')).toBe(true);
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('serves its script and style from the same origin', async () => {
    const js = await api(t).get('/reset-password/page.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('location.hash');
    expect(js.text).toContain('/reset-password');
    const css = await api(t).get('/reset-password/page.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });
});
