// The example receivers against deliveries signed by hand as the contract describes (HMAC-SHA256 of
// "{webhook-id}.{webhook-timestamp}.{body}" keyed with the secret's base64-decoded bytes), verified with the
// `standardwebhooks` package: examples/webhook-receiver.mjs and the example portal's POST /webhooks/latchkey.
//
//   node --test examples/
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPortal } from './custom-portal/portal.js';
import { createReceiver } from './webhook-receiver.mjs';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A delivery as Latchkey sends it, signed with each of `secrets` (two while a rotated secret overlaps). */
function delivery(secrets, { type = 'user.passwordReset', targetUserId = randomUUID(), id = randomUUID(), at } = {}) {
  const timestamp = at ?? Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    type,
    timestamp: new Date(timestamp * 1000).toISOString(),
    data: {
      id,
      action: type,
      actor: { type: 'user', id: randomUUID() },
      targetUserId,
      createdAt: new Date().toISOString(),
      data: {},
    },
  });
  const signature = secrets
    .map((secret) => {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
    })
    .join(' ');
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    },
  };
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

const post = (url, { headers, body }) => fetch(url, { method: 'POST', headers, body });

describe('examples/webhook-receiver.mjs', () => {
  const secret = newSecret();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-receiver-'));
  const logFile = path.join(dir, 'events.log');
  const printed = [];
  const server = createReceiver({ secret, logFile, log: (line) => printed.push(line) });
  let url;

  before(async () => {
    url = `${await listen(server)}/webhooks`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const logged = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []);

  test('verifies a delivery signed as the contract says, prints it and appends it to RECEIVER_LOG', async () => {
    const d = delivery([secret], { type: 'user.deleted', targetUserId: 'u-1' });
    assert.equal((await post(url, d)).status, 204);
    assert.deepEqual(logged(), [`verified user.deleted ${d.id} user u-1`]);
    assert.equal(printed.at(-1), `verified user.deleted ${d.id} user u-1`);
  });

  test('a retry with the same webhook-id is answered 204 and not handled again', async () => {
    const d = delivery([secret]);
    assert.equal((await post(url, d)).status, 204);
    const before = logged().length;
    // A retry is a new attempt: a new timestamp, so a new signature, and the same webhook-id.
    const retry = delivery([secret], { id: d.id, at: Number(d.headers['webhook-timestamp']) + 5 });
    assert.equal((await post(url, retry)).status, 204);
    assert.equal(logged().length, before);
    assert.equal(printed.at(-1), `duplicate ${d.id} ignored`);
  });

  test('refuses a wrong secret, a changed body, a stale timestamp and missing headers with 401', async () => {
    const before = logged().length;
    assert.equal((await post(url, delivery([newSecret()]))).status, 401);
    const changed = delivery([secret]);
    assert.equal(
      (await post(url, { ...changed, body: changed.body.replace('user.passwordReset', 'user.deleted') })).status,
      401,
    );
    const stale = delivery([secret], { at: Math.floor(Date.now() / 1000) - 600 });
    assert.equal((await post(url, stale)).status, 401);
    assert.equal((await post(url, { headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
    assert.equal(logged().length, before);
  });

  test('accepts either signature while a rotated secret overlaps', async () => {
    const d = delivery([newSecret(), secret]);
    assert.equal((await post(url, d)).status, 204);
    assert.match(logged().at(-1), new RegExp(`^verified user.passwordReset ${d.id} `));
  });

  test('answers only POST', async () => {
    assert.equal((await fetch(url)).status, 405);
  });
});

describe("the example portal's POST /webhooks/latchkey", () => {
  const secret = newSecret();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-portal-webhooks-'));
  const usersFile = path.join(dir, 'users.json');
  const ada = { email: 'ada@example.com', latchkeyUserId: randomUUID(), firstName: 'Ada' };
  const grace = { email: 'grace@example.com', latchkeyUserId: randomUUID(), firstName: 'Grace' };
  fs.writeFileSync(usersFile, JSON.stringify([ada, grace]));
  const config = (webhookSecret) => ({
    port: 0,
    host: '127.0.0.1',
    portalUrl: 'http://localhost:4000',
    brand: 'Acme Cloud',
    latchkeyUrl: 'http://127.0.0.1:9',
    latchkeyPat: 'unused',
    resetTtlSeconds: 1800,
    smtpUrl: 'smtp://127.0.0.1:9',
    mailFrom: 'Acme <support@acme.test>',
    users: [ada, grace],
    usersFile,
    webhookSecret,
  });
  const originalLog = console.log;
  let server;
  let base;

  before(async () => {
    console.log = () => {}; // the portal logs each delivery
    server = createPortal(config(secret));
    base = await listen(server);
  });
  after(async () => {
    console.log = originalLog;
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const logPage = async () => (await fetch(`${base}/webhooks/log`)).text();

  test("user.passwordReset: verified, ends the customer's sessions, and is shown as verified", async () => {
    const d = delivery([secret], { type: 'user.passwordReset', targetUserId: ada.latchkeyUserId });
    assert.equal((await post(`${base}/webhooks/latchkey`, d)).status, 204);
    const page = await logPage();
    assert.match(page, /<strong class="type">user\.passwordReset<\/strong> <span class="verified">signature verified/);
    assert.ok(page.includes('sessions ended for ada@example.com'));
    assert.ok(page.includes(d.id));
  });

  test('a delivery seen before changes nothing and is listed once', async () => {
    const d = delivery([secret], { type: 'user.passwordReset', targetUserId: grace.latchkeyUserId });
    assert.equal((await post(`${base}/webhooks/latchkey`, d)).status, 204);
    assert.equal((await post(`${base}/webhooks/latchkey`, d)).status, 204);
    assert.equal((await logPage()).split(d.id).length - 1, 1);
  });

  test('user.deleted removes the customer from the users file', async () => {
    const d = delivery([secret], { type: 'user.deleted', targetUserId: grace.latchkeyUserId });
    assert.equal((await post(`${base}/webhooks/latchkey`, d)).status, 204);
    assert.deepEqual(JSON.parse(fs.readFileSync(usersFile, 'utf8')), [ada]);
    assert.ok((await logPage()).includes('grace@example.com removed from the portal&#39;s users'));
  });

  test('a bad signature is 401, changes nothing and is counted as refused', async () => {
    const forged = delivery([newSecret()], { type: 'user.deleted', targetUserId: ada.latchkeyUserId });
    assert.equal((await post(`${base}/webhooks/latchkey`, forged)).status, 401);
    assert.deepEqual(JSON.parse(fs.readFileSync(usersFile, 'utf8')), [ada]);
    const page = await logPage();
    assert.ok(!page.includes(forged.id));
    assert.match(page, /1 delivery was refused: signature not verified/);
  });

  test('a portal without LATCHKEY_WEBHOOK_SECRET answers 503 and says so on the log page', async () => {
    const unconfigured = createPortal(config(undefined));
    const url = await listen(unconfigured);
    try {
      assert.equal((await post(`${url}/webhooks/latchkey`, delivery([secret]))).status, 503);
      assert.match(
        await (await fetch(`${url}/webhooks/log`)).text(),
        /No <code>LATCHKEY_WEBHOOK_SECRET<\/code> is set/,
      );
    } finally {
      await new Promise((resolve) => unconfigured.close(resolve));
    }
  });
});
