// Provisions a demo in a running Latchkey for this portal: an account, a user with role `user`, a
// personal access token with the `user:resetPasswordToken` scope only, and a webhook endpoint that sends
// the portal `user.passwordReset` and `user.deleted`. Writes the portal's users file and its .env (with
// the endpoint's signing secret), and prints the admin's sign-in once.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLatchkeyClient } from '../../client/index.js';

const latchkeyUrl = process.env.LATCHKEY_URL ?? 'http://localhost:3000';
const portalUrl = process.env.PORTAL_URL ?? 'http://localhost:4000';
const smtpUrl = process.env.PORTAL_SMTP_URL ?? 'smtp://localhost:1025';
const dir = path.resolve(process.env.PORTAL_SETUP_DIR ?? fileURLToPath(new URL('.', import.meta.url)));
const userEmail = process.env.DEMO_USER_EMAIL ?? 'ada@example.com';

/**
 * @template T
 * @param {Promise<{ data?: T, error?: { message: string }, response: Response }>} call
 * @returns {Promise<T>}
 */
async function ok(call) {
  const { data, error, response } = await call;
  if (!data) throw new Error(`Latchkey answered ${response.status}: ${error?.message}`);
  return data;
}

const alias = `acme-${randomBytes(3).toString('hex')}`;
const adminEmail = `admin@${alias}.test`;
const adminPassword = randomBytes(18).toString('base64url');
const signedUp = await ok(
  createLatchkeyClient(latchkeyUrl).POST('/v3/accounts', {
    body: {
      name: 'Acme Cloud',
      alias,
      email: adminEmail,
      password: adminPassword,
      firstName: 'Demo',
      lastName: 'Admin',
    },
  }),
);
const admin = createLatchkeyClient(latchkeyUrl, signedUp.accessToken);
// No password: the user sets the first one through the portal, as after an invitation.
const user = await ok(
  admin.POST('/v3/users', { body: { email: userEmail, firstName: 'Ada', lastName: 'Lovelace', role: 'user' } }),
);
const pat = await ok(
  admin.POST('/v3/personal-access-tokens', { body: { name: 'Custom portal', scopes: ['user:resetPasswordToken'] } }),
);

// The webhook endpoint: only an admin session may register one. Its signing secret is shown only here.
const registered = await admin.POST('/v3/webhooks', {
  body: {
    url: `${portalUrl}/webhooks/latchkey`,
    events: ['user.passwordReset', 'user.deleted'],
    description: 'Custom portal: ends sessions after a reset, forgets deleted users',
  },
});
const webhook = registered.data;
if (!webhook) {
  const hint =
    registered.response.status === 400
      ? ' (a portal on localhost or a private address needs Latchkey started with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)'
      : '';
  throw new Error(
    `registering the webhook endpoint: Latchkey answered ${registered.response.status}: ${registered.error?.message}${hint}`,
  );
}

const usersFile = path.join(dir, 'users.json');
const envFile = path.join(dir, '.env');
fs.writeFileSync(
  usersFile,
  `${JSON.stringify([{ email: userEmail, latchkeyUserId: user.id, firstName: 'Ada' }], null, 2)}\n`,
);
const env = {
  LATCHKEY_URL: latchkeyUrl,
  LATCHKEY_PAT: pat.token,
  PORTAL_URL: portalUrl,
  PORTAL_SMTP_URL: smtpUrl,
  PORTAL_USERS_FILE: usersFile,
  LATCHKEY_WEBHOOK_SECRET: webhook.secret,
};
fs.writeFileSync(
  envFile,
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}\n`)
    .join(''),
  { mode: 0o600 },
);

console.log(`account "${alias}": admin ${adminEmail}, password ${adminPassword} (shown once)`);
console.log(`user ${userEmail} (${user.id}); the portal's token may only issue reset tokens`);
console.log(`webhook ${webhook.id}: user.passwordReset and user.deleted to ${portalUrl}/webhooks/latchkey`);
console.log(`wrote ${usersFile} and ${envFile}`);
