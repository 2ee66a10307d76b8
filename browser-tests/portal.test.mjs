// The example portal end to end in headless Chromium: a user asks for a reset on the portal, the portal
// issues a token with a PAT that can do nothing else and sends its own branded email, the user opens the
// link (the page checks it with Latchkey's verify first), types a new password twice, and can then log in to
// Latchkey with it. The email's "I did not ask for this" link leads to a portal page whose button cancels.
// Latchkey tells the portal of the reset and of the user's deletion by webhook, which the portal verifies
// and lists on its /webhooks/log page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createLatchkeyClient } from '../client/index.js';
import {
  freePort,
  launchBrowser,
  screenshot,
  signUp,
  startLatchkey,
  startPortal,
  startSmtpCapture,
  tempDir,
} from './harness.mjs';

const OLD_PASSWORD = 'copper kettle orchard basalt 5813';
const NEW_PASSWORD = 'harbor lilac tundra meteor 2096';
const EMAIL = 'ada@customer.test';
const PORTAL_FROM = { name: 'Acme Cloud Support', address: 'support@acme.test' };

describe('the example custom portal', { timeout: 300_000 }, () => {
  let latchkeyMail;
  let portalMail;
  let latchkey;
  let portal;
  let portalUrl;
  let browser;
  let page;
  let account;
  let admin;
  let user;
  let resetLink;
  const usersDir = tempDir('portal');

  before(async () => {
    latchkeyMail = await startSmtpCapture();
    portalMail = await startSmtpCapture();
    const portalPort = await freePort();
    portalUrl = `http://127.0.0.1:${portalPort}`;
    // The reset page posts straight to Latchkey, so Latchkey lets the portal's origin call it; its webhooks
    // may go to the portal on localhost.
    latchkey = await startLatchkey({
      SMTP_URL: latchkeyMail.url,
      CORS_ORIGINS: portalUrl,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_POLL_MS: '100',
    });

    const signedUp = await signUp(latchkey.url, `portal-${randomUUID().slice(0, 8)}`);
    account = signedUp.account;
    admin = createLatchkeyClient(latchkey.url, signedUp.accessToken);
    const created = await admin.POST('/v3/users', {
      body: { email: EMAIL, firstName: 'Ada', lastName: 'Lovelace', role: 'user', password: OLD_PASSWORD },
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    user = created.data;
    const pat = await admin.POST('/v3/personal-access-tokens', {
      body: { name: 'Custom portal', scopes: ['user:resetPasswordToken'] },
    });
    assert.equal(pat.response.status, 201, JSON.stringify(pat.error));
    // The portal's webhook endpoint, as setup.js registers it (plain http is allowed only for localhost).
    const registered = await admin.POST('/v3/webhooks', {
      body: { url: `http://localhost:${portalPort}/webhooks/latchkey`, events: ['user.passwordReset', 'user.deleted'] },
    });
    assert.equal(registered.response.status, 201, JSON.stringify(registered.error));
    const webhook = registered.data;

    // The portal's own user database knows the Latchkey id of each of its customers.
    const usersFile = path.join(usersDir, 'users.json');
    fs.writeFileSync(usersFile, JSON.stringify([{ email: EMAIL, latchkeyUserId: user.id, firstName: 'Ada' }]));
    portal = await startPortal(portalPort, {
      LATCHKEY_URL: latchkey.url,
      LATCHKEY_PAT: pat.data.token,
      PORTAL_URL: portalUrl,
      PORTAL_SMTP_URL: portalMail.url,
      PORTAL_MAIL_FROM: `${PORTAL_FROM.name} <${PORTAL_FROM.address}>`,
      PORTAL_USERS_FILE: usersFile,
      LATCHKEY_WEBHOOK_SECRET: webhook.secret,
    });

    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
    await latchkey?.stop();
    await portalMail?.close();
    await latchkeyMail?.close();
    fs.rmSync(usersDir, { recursive: true, force: true });
  });

  test('the "forgot password" form sends the branded email through the portal\'s own SMTP server', async () => {
    await page.goto(`${portalUrl}/forgot-password`);
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.waitForURL(`${portalUrl}/forgot-password/sent`);
    assert.match(await page.locator('h1').innerText(), /Check your inbox/);

    const mail = await portalMail.waitFor((m) => m.envelopeTo.includes(EMAIL));
    assert.deepEqual(mail.from.value, [PORTAL_FROM]);
    assert.equal(mail.subject, 'Reset your Acme Cloud password');
    assert.match(mail.text, /^Hi Ada,/);
    resetLink = mail.text.match(/https?:\/\/\S+/)[0];
    const link = new URL(resetLink);
    assert.equal(link.origin, portalUrl);
    assert.equal(link.pathname, '/reset-password');
    assert.equal(link.searchParams.get('userId'), user.id);
    assert.match(link.hash, /^#token=lk_rst_/);
    assert.ok(mail.html.includes(resetLink.replaceAll('&', '&amp;')), 'the HTML body links to the same page');
    const cancelLink = new URL(mail.text.match(/https?:\/\/\S+\/reset-password\/cancel\S*/)[0]);
    assert.equal(cancelLink.origin, portalUrl, 'the cancel link leads to a page of the portal');
    assert.equal(cancelLink.searchParams.get('userId'), user.id);
    assert.equal(cancelLink.hash, link.hash);
    // Latchkey emailed the admin that a webhook endpoint was added, and the user nothing.
    const toUser = latchkeyMail.messages.filter((m) => m.envelopeTo.includes(EMAIL));
    assert.equal(toUser.length, 0, 'Latchkey sent the user nothing itself');
    await latchkeyMail.waitFor((m) => m.envelopeTo.includes(`owner@${account.alias}.test`));
  });

  test('an address the portal does not know gets the same page and no email', async () => {
    await page.goto(`${portalUrl}/forgot-password`);
    await page.getByLabel('Email address').fill('nobody@customer.test');
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.waitForURL(`${portalUrl}/forgot-password/sent`);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(portalMail.messages.length, 1);
  });

  test('the reset page keeps the token out of referrers, the address bar and the portal server', async () => {
    const requests = [];
    page.on('request', (r) => requests.push(r));
    const response = await page.goto(resetLink);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    assert.equal(response.headers()['cache-control'], 'no-store');
    assert.match(response.headers()['content-security-policy'], /connect-src http:\/\/127\.0\.0\.1:\d+;/);
    await page.locator('#password').waitFor();
    assert.equal(await page.evaluate(() => location.hash), '');
    const token = new URL(resetLink).hash.slice('#token='.length);
    assert.ok(requests.every((r) => !r.url().includes(token)));
    // The page checked the link with Latchkey before showing the form, and shows the account's length rule.
    const verify = requests.find((r) => r.method() === 'POST' && r.url().endsWith('/reset-password/verify'));
    assert.ok(verify, 'the page called verify');
    assert.equal(new URL(verify.url()).origin, latchkey.url);
    assert.equal((await verify.allHeaders()).referer, undefined);
    assert.match(await page.locator('#hint').innerText(), /at least 15 characters/);
  });

  test('a weak password is explained and leaves the link usable', async () => {
    await page.locator('#password').fill('ada lovelace 1815');
    await page.locator('#confirm').fill('ada lovelace 1815');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#message.error').waitFor();
    assert.match(await page.locator('#message').innerText(), /\S/);
    assert.ok(await page.locator('#reset-form').isVisible());
  });

  test('typing the new password twice resets it, with no referrer sent to Latchkey', async () => {
    await page.locator('#password').fill(NEW_PASSWORD);
    await page.locator('#confirm').fill(NEW_PASSWORD);
    await screenshot(page, 'portal-reset-page');
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/v3/users/${user.id}/reset-password`)),
      page.getByRole('button', { name: 'Set new password' }).click(),
    ]);
    assert.equal((await post.allHeaders()).referer, undefined);
    await page.locator('#message.ok').waitFor();
    assert.match(await page.locator('#message').innerText(), /password has been changed/);
    await screenshot(page, 'portal-reset-done');
  });

  test("Latchkey tells the portal of the reset: its webhook log shows it verified, and Ada's sessions ended", async () => {
    const log = await browser.context.newPage();
    await log.goto(`${portalUrl}/webhooks/log`);
    // The delivery arrives within a poll or two of the worker; the page is reloaded until it is listed.
    const entry = log.locator('.event', { hasText: 'user.passwordReset' });
    for (let i = 0; i < 60 && (await entry.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await log.reload();
    }
    assert.equal(await entry.count(), 1, await log.locator('main').innerText());
    assert.match(
      await entry.innerText(),
      /user\.passwordReset signature verified\s+sessions ended for ada@customer\.test/,
    );
    await screenshot(log, 'portal-webhook-log');
    await log.close();
  });

  test('the user logs in with the new password, not the old one, and is told of the change', async () => {
    const client = createLatchkeyClient(latchkey.url);
    const login = (password) =>
      client.POST('/v3/accounts/login', { body: { accountAlias: account.alias, email: EMAIL, password } });
    const fresh = await login(NEW_PASSWORD);
    assert.equal(fresh.response.status, 200, JSON.stringify(fresh.error));
    assert.match(fresh.data.accessToken, /^lk_ses_/);
    const stale = await login(OLD_PASSWORD);
    assert.equal(stale.response.status, 401);
    await latchkeyMail.waitFor((m) => m.envelopeTo.includes(EMAIL));
  });

  test('the link works once, and says so as soon as it is opened again', async () => {
    // A new tab, as when the link in the email is clicked again.
    const again = await browser.context.newPage();
    await again.goto(resetLink);
    await again.locator('#message.error').waitFor();
    assert.match(await again.locator('#message').innerText(), /invalid, used or expired/);
    assert.equal(await again.locator('#reset-form').isVisible(), false, 'no form for a dead link');
    await again.close();
  });

  test('"I did not ask for this": the portal\'s cancel page changes nothing on load, its button kills the link', async () => {
    const before = portalMail.messages.length;
    await page.goto(`${portalUrl}/forgot-password`);
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.waitForURL(`${portalUrl}/forgot-password/sent`);
    const mail = await portalMail.waitFor((m, i) => i >= before && m.envelopeTo.includes(EMAIL));
    const link = mail.text.match(/https?:\/\/\S+\/reset-password\?\S+/)[0];
    const cancelLink = mail.text.match(/https?:\/\/\S+\/reset-password\/cancel\S*/)[0];
    const token = new URL(cancelLink).hash.slice('#token='.length);
    const anonymous = createLatchkeyClient(latchkey.url);
    const verify = () =>
      anonymous.POST('/v3/users/{id}/reset-password/verify', { params: { path: { id: user.id } }, body: { token } });

    const cancelPage = await browser.context.newPage();
    const posts = [];
    cancelPage.on('request', (r) => r.method() === 'POST' && posts.push(r));
    const response = await cancelPage.goto(cancelLink);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    await cancelPage.getByRole('button', { name: 'Cancel the reset' }).waitFor();
    assert.equal(await cancelPage.evaluate(() => location.hash), '');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(posts, [], 'opening the page posts nothing');
    assert.equal((await verify()).response.status, 200, 'the link still works');
    await screenshot(cancelPage, 'portal-cancel-page');

    await cancelPage.getByRole('button', { name: 'Cancel the reset' }).click();
    await cancelPage.locator('#message.ok').waitFor();
    assert.match(await cancelPage.locator('#message').innerText(), /reset is cancelled/);
    assert.equal(posts.length, 1);
    assert.equal(new URL(posts[0].url()).origin, latchkey.url);
    assert.ok(posts[0].url().endsWith(`/v3/users/${user.id}/reset-password/cancel`));
    assert.equal((await posts[0].allHeaders()).referer, undefined);
    assert.equal((await verify()).error?.code, 'RESET_TOKEN_INVALID');

    // The reset link of the same email is dead at once.
    const resetPage = await browser.context.newPage();
    await resetPage.goto(link);
    await resetPage.locator('#message.error').waitFor();
    assert.equal(await resetPage.locator('#reset-form').isVisible(), false);
    await Promise.all([cancelPage.close(), resetPage.close()]);
  });

  test('setup.js provisions a demo whose token can only issue reset tokens', async () => {
    const dir = tempDir('setup');
    try {
      await promisify(execFile)(process.execPath, ['examples/custom-portal/setup.js'], {
        env: { PATH: process.env.PATH, LATCHKEY_URL: latchkey.url, PORTAL_SETUP_DIR: dir },
      });
      const env = Object.fromEntries(
        fs
          .readFileSync(path.join(dir, '.env'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(/=(.*)/s, 2)),
      );
      assert.equal(env.LATCHKEY_URL, latchkey.url);
      assert.match(env.LATCHKEY_WEBHOOK_SECRET, /^whsec_[A-Za-z0-9+/]+=*$/);
      const [demoUser] = JSON.parse(fs.readFileSync(env.PORTAL_USERS_FILE, 'utf8'));
      const portalClient = createLatchkeyClient(latchkey.url, env.LATCHKEY_PAT);
      const issued = await portalClient.POST('/v3/users/{id}/reset-password-token', {
        params: { path: { id: demoUser.latchkeyUserId } },
        body: {},
      });
      assert.equal(issued.response.status, 201, JSON.stringify(issued.error));
      const listed = await portalClient.GET('/v3/users');
      assert.equal(listed.response.status, 403);
      assert.equal(listed.error.code, 'INSUFFICIENT_SCOPE');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("deleting the user in Latchkey removes her from the portal's users: no reset email for her any more", async () => {
    const deleted = await admin.DELETE('/v3/users/{id}', { params: { path: { id: user.id } } });
    assert.equal(deleted.response.status, 204, JSON.stringify(deleted.error));
    const log = await browser.context.newPage();
    await log.goto(`${portalUrl}/webhooks/log`);
    const entry = log.locator('.event', { hasText: 'user.deleted' });
    for (let i = 0; i < 60 && (await entry.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await log.reload();
    }
    assert.match(
      await entry.innerText(),
      /user\.deleted signature verified\s+ada@customer\.test removed from the portal's users/,
    );
    await log.close();

    const before = portalMail.messages.length;
    await page.goto(`${portalUrl}/forgot-password`);
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.waitForURL(`${portalUrl}/forgot-password/sent`);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(portalMail.messages.length, before, 'the portal no longer knows her');
  });
});
