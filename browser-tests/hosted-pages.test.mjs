// Latchkey's own hosted pages in headless Chromium: the reset page behind the built-in link checks the link on
// load (a dead link says so at once, the hint shows the account's minimum length) and offers no form after
// success; the cancel page behind the email's "I did not ask for this" link changes nothing until its button
// is pressed. Neither asks any other origin for anything, nor for a missing /favicon.ico.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLatchkeyClient } from '../client/index.js';
import { launchBrowser, screenshot, signUp, startLatchkey, startSmtpCapture } from './harness.mjs';

const NEW_PASSWORD = 'harbor lilac tundra meteor 2096';
const MIN_LENGTH = 17;

describe("Latchkey's hosted reset and cancel pages", { timeout: 300_000 }, () => {
  let mail;
  let latchkey;
  let browser;
  let admin;
  let anonymous;
  let alias;
  let sequence = 0;

  before(async () => {
    mail = await startSmtpCapture();
    latchkey = await startLatchkey({ SMTP_URL: mail.url });
    alias = `hosted-${randomUUID().slice(0, 8)}`;
    const signedUp = await signUp(latchkey.url, alias);
    admin = createLatchkeyClient(latchkey.url, signedUp.accessToken);
    anonymous = createLatchkeyClient(latchkey.url);
    const patched = await admin.PATCH('/v3/accounts/{id}', {
      params: { path: { id: signedUp.account.id } },
      body: { minPasswordLength: MIN_LENGTH },
    });
    assert.equal(patched.response.status, 200, JSON.stringify(patched.error));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await latchkey?.stop();
    await mail?.close();
  });

  /** A new user of role `user` and the built-in reset email Latchkey sent them: its two links and token. */
  async function userWithResetEmail() {
    const email = `user${++sequence}@customer.test`;
    const created = await admin.POST('/v3/users', {
      body: { email, firstName: 'Ada', lastName: 'Lovelace', role: 'user' },
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    const issued = await admin.POST('/v3/users/{id}/reset-password-token', {
      params: { path: { id: created.data.id } },
      body: { send: true },
    });
    assert.equal(issued.response.status, 201, JSON.stringify(issued.error));
    const message = await mail.waitFor((m) => m.envelopeTo.includes(email));
    const links = message.text.match(/https?:\/\/\S+/g);
    const resetLink = links.find((l) => new URL(l).pathname === '/reset-password');
    const cancelLink = links.find((l) => new URL(l).pathname === '/reset-password/cancel');
    assert.ok(resetLink && cancelLink, message.text);
    const token = issued.data.resetPasswordToken;
    assert.equal(new URL(cancelLink).hash, `#token=${token}`);
    // Values are HTML-escaped in the HTML body (`/` as `&#x2F;`), which a mail client decodes.
    const html = message.html
      .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
      .replaceAll('&amp;', '&');
    assert.ok(html.includes(`href="${cancelLink}"`), 'the HTML body carries the cancel link too');
    return { user: created.data, email, resetLink, cancelLink, token };
  }

  /** A fresh tab that records every request and every answer of 400 or more. */
  async function recordingPage() {
    const page = await browser.context.newPage();
    const requests = [];
    const failures = [];
    page.on('request', (r) => requests.push(r));
    page.on('response', (r) => {
      if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
    });
    return { page, requests, failures };
  }

  const verify = (userId, token) =>
    anonymous.POST('/v3/users/{id}/reset-password/verify', { params: { path: { id: userId } }, body: { token } });

  function assertOwnOriginOnly(requests, token) {
    for (const r of requests) {
      assert.equal(new URL(r.url()).origin, latchkey.url, `${r.url()} is from another origin`);
      assert.notEqual(new URL(r.url()).pathname, '/favicon.ico', 'no request for a missing /favicon.ico');
      assert.ok(!r.url().includes(token), 'the token never travels in a URL');
    }
  }

  test('the reset page checks the link on load, shows the real minimum length and, after success, no form', async () => {
    const { user, email, resetLink, token } = await userWithResetEmail();
    const { page, requests, failures } = await recordingPage();
    const response = await page.goto(resetLink);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    assert.equal(response.headers()['cache-control'], 'no-store');
    assert.match(response.headers()['content-security-policy'], /default-src 'none'/);

    await page.locator('#password').waitFor();
    assert.match(await page.locator('#intro').innerText(), new RegExp(`at least ${MIN_LENGTH} characters`));
    assert.equal(await page.evaluate(() => location.hash), '');
    assert.ok(
      requests.some((r) => r.method() === 'POST' && r.url().endsWith(`/v3/users/${user.id}/reset-password/verify`)),
      'the page called verify',
    );

    await page.locator('#password').fill('ada lovelace 1815');
    await page.locator('#confirm').fill('ada lovelace 1815');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#message.error').waitFor();
    assert.ok(await page.locator('#reset-form').isVisible(), 'a weak password leaves the form');

    await page.locator('#password').fill(NEW_PASSWORD);
    await page.locator('#confirm').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#message.ok').waitFor();
    assert.match(await page.locator('#message').innerText(), /password has been changed/);
    assert.equal(await page.locator('#reset-form').isVisible(), false, 'no form after success');
    assert.equal(await page.locator('input:visible').count(), 0);
    assert.match(await page.locator('#onward').innerText(), /Sign in with your new password/);
    await screenshot(page, 'hosted-reset-done');

    // Only the expected weak-password answer failed; everything came from Latchkey itself.
    assert.deepEqual(
      failures.map((f) => f.replace(/ .*\/v3\//, ' /v3/')),
      [`400 /v3/users/${user.id}/reset-password`],
    );
    assertOwnOriginOnly(requests, token);
    const login = await anonymous.POST('/v3/accounts/login', {
      body: { accountAlias: alias, email, password: NEW_PASSWORD },
    });
    assert.equal(login.response.status, 200);
    await page.close();
  });

  test('a used link says so as soon as the page opens, with no form to fill', async () => {
    const { resetLink, user, token } = await userWithResetEmail();
    const reset = await anonymous.POST('/v3/users/{id}/reset-password', {
      params: { path: { id: user.id } },
      body: { token, newPassword: NEW_PASSWORD },
    });
    assert.equal(reset.response.status, 204);
    const { page } = await recordingPage();
    await page.goto(resetLink);
    await page.locator('#message.error').waitFor();
    assert.match(await page.locator('#message').innerText(), /expired or was already used/);
    assert.equal(await page.locator('#reset-form').isVisible(), false);
    await page.close();
  });

  test('the cancel page changes nothing on load; its button cancels the reset', async () => {
    const { user, email, cancelLink, resetLink, token } = await userWithResetEmail();
    const { page, requests } = await recordingPage();
    const response = await page.goto(cancelLink);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    assert.equal(response.headers()['cache-control'], 'no-store');
    assert.match(response.headers()['content-security-policy'], /default-src 'none'/);
    await page.getByRole('button', { name: 'Cancel the reset' }).waitFor();
    assert.equal(await page.evaluate(() => location.hash), '');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!requests.some((r) => r.method() === 'POST'), 'opening the page posts nothing');
    assert.equal((await verify(user.id, token)).response.status, 200, 'the token is still live');
    await screenshot(page, 'hosted-cancel-page');

    const [post] = await Promise.all([
      page.waitForRequest(
        (r) => r.method() === 'POST' && r.url().endsWith(`/v3/users/${user.id}/reset-password/cancel`),
      ),
      page.getByRole('button', { name: 'Cancel the reset' }).click(),
    ]);
    assert.equal((await post.allHeaders()).referer, undefined);
    await page.locator('#message.ok').waitFor();
    assert.match(await page.locator('#message').innerText(), /reset is cancelled/);
    assert.equal(await page.getByRole('button', { name: 'Cancel the reset' }).isVisible(), false);
    assertOwnOriginOnly(requests, token);

    const dead = await verify(user.id, token);
    assert.equal(dead.response.status, 400);
    assert.equal(dead.error.code, 'RESET_TOKEN_INVALID');
    const login = await anonymous.POST('/v3/accounts/login', {
      body: { accountAlias: alias, email, password: NEW_PASSWORD },
    });
    assert.equal(login.response.status, 401, 'the password was never set');

    // The reset link from the same email now says at once that it is dead.
    const again = await browser.context.newPage();
    await again.goto(resetLink);
    await again.locator('#message.error').waitFor();
    assert.equal(await again.locator('#reset-form').isVisible(), false);

    // And the cancel link, pressed again, says what happened.
    const twice = await browser.context.newPage();
    await twice.goto(cancelLink);
    await twice.getByRole('button', { name: 'Cancel the reset' }).click();
    await twice.locator('#message.error').waitFor();
    assert.match(await twice.locator('#message').innerText(), /no longer works/);
    await Promise.all([page.close(), again.close(), twice.close()]);
  });
});
