// Swagger UI at /docs in headless Chromium: authorize with a personal access token, then "Try it out"
// on listing users and on issuing a reset token, and see the real responses.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLatchkeyClient } from '../client/index.js';
import { jsonLogLines, launchBrowser, screenshot, signUp, startLatchkey } from './harness.mjs';

describe('Swagger UI at /docs', { timeout: 300_000 }, () => {
  let latchkey;
  let browser;
  let page;
  let pat;
  let user;
  const pageErrors = [];
  const secrets = [];

  before(async () => {
    latchkey = await startLatchkey();
    const { accessToken } = await signUp(latchkey.url, `docs-${randomUUID().slice(0, 8)}`);
    const admin = createLatchkeyClient(latchkey.url, accessToken);
    const created = await admin.POST('/v3/personal-access-tokens', {
      body: { name: 'Swagger UI', scopes: ['user:read', 'user:resetPasswordToken'] },
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    pat = created.data.token;
    const newUser = await admin.POST('/v3/users', {
      body: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', role: 'user' },
    });
    assert.equal(newUser.response.status, 201, JSON.stringify(newUser.error));
    user = newUser.data;
    secrets.push(accessToken, pat);

    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
  });

  after(async () => {
    await browser?.close();
    await latchkey?.stop();
  });

  /** The operation block of `method path`, expanded, with "Try it out" on. */
  async function tryOut(method, path) {
    const block = page
      .locator(`.opblock-${method}`)
      .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    return block;
  }

  /** Executes the request of `block`; returns the status and body Swagger UI shows. */
  async function execute(block) {
    await block.locator('button.execute').click();
    const status = block.locator('.live-responses-table .response .response-col_status');
    await status.waitFor();
    const body = await block.locator('.live-responses-table .response-col_description pre').first().innerText();
    return { status: (await status.innerText()).trim(), body };
  }

  test('serves Swagger UI from the app itself, under its own CSP', async () => {
    const origins = new Set();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    const response = await page.goto(`${latchkey.url}/docs`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
    await page.locator('.swagger-ui .info .title').waitFor();
    assert.match(await page.locator('.swagger-ui .info .title').innerText(), /Latchkey API/);
    assert.deepEqual([...origins], [latchkey.url], 'nothing is loaded from another origin');
  });

  test('authorizes with a personal access token', async () => {
    await page.locator('.auth-wrapper button.authorize').click();
    await page.locator('#auth-bearer-value').fill(pat);
    await page.locator('.auth-btn-wrapper button.authorize').click();
    await page.locator('.auth-btn-wrapper button.btn-done').click();
    assert.equal(await page.locator('.auth-wrapper button.authorize.locked').count(), 1);
  });

  test('"Try it out" on GET /v3/users answers 200 with the users', async () => {
    const block = await tryOut('get', '/v3/users');
    const { status, body } = await execute(block);
    assert.equal(status, '200');
    const users = JSON.parse(body);
    assert.ok(users.some((u) => u.email === 'grace@example.com'));
    assert.ok(users.every((u) => !('passwordHash' in u)));
    await block.scrollIntoViewIfNeeded();
    await screenshot(page, 'swagger-ui-list-users');
  });

  test('"Try it out" on issuing a reset token answers 201 with the token', async () => {
    const block = await tryOut('post', '/v3/users/{id}/reset-password-token');
    await block.locator('tr[data-param-name="id"] input').fill(user.id);
    const { status, body } = await execute(block);
    assert.equal(status, '201');
    const issued = JSON.parse(body);
    assert.match(issued.resetPasswordToken, /^lk_rst_/);
    assert.ok(new Date(issued.expiresAt) > new Date());
    secrets.push(issued.resetPasswordToken);
    await block.locator('.live-responses-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'swagger-ui-reset-token');
  });

  test('the page ran without script errors', () => {
    assert.deepEqual(pageErrors, []);
  });

  test('the service logged one JSON line per request, without any secret', () => {
    const requests = jsonLogLines(latchkey.stdout())
      .filter((line) => line.context === 'HTTP')
      .map((line) => line.message);
    const listed = requests.find((r) => r.method === 'GET' && r.path === '/v3/users');
    assert.ok(listed, 'a log line for GET /v3/users');
    assert.equal(listed.status, 200);
    assert.equal(typeof listed.durationMs, 'number');
    assert.match(listed.requestId, /\S/);
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === `/v3/users/${user.id}/reset-password-token`));
    for (const secret of secrets) assert.ok(!latchkey.output().includes(secret), 'a secret in the logs');
  });
});
