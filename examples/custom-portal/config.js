import fs from 'node:fs';

/**
 * @typedef {{ email: string, latchkeyUserId: string, firstName?: string }} PortalUser
 * @typedef {{
 *   port: number, host: string, portalUrl: string, brand: string,
 *   latchkeyUrl: string, latchkeyPat: string, resetTtlSeconds: number,
 *   smtpUrl: string, mailFrom: string, users: PortalUser[], usersFile: string,
 *   webhookSecret: string | undefined,
 * }} PortalConfig
 */

/**
 * The portal's settings, from its environment. Its users file stands in for the portal's own user
 * database, which knows each customer's Latchkey user id (kept when the portal created the user).
 * @param {Record<string, string | undefined>} env
 * @returns {PortalConfig}
 */
export function loadConfig(env) {
  /** @param {string} name */
  const required = (name) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const port = Number(env.PORTAL_PORT ?? 4000);
  const usersFile = required('PORTAL_USERS_FILE');
  return {
    port,
    host: env.PORTAL_HOST ?? '127.0.0.1',
    portalUrl: (env.PORTAL_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    brand: env.PORTAL_BRAND ?? 'Acme Cloud',
    latchkeyUrl: required('LATCHKEY_URL').replace(/\/+$/, ''),
    latchkeyPat: required('LATCHKEY_PAT'),
    resetTtlSeconds: Number(env.PORTAL_RESET_TTL_SECONDS ?? 1800),
    smtpUrl: required('PORTAL_SMTP_URL'),
    mailFrom: env.PORTAL_MAIL_FROM ?? 'Acme Cloud Support <support@acme.test>',
    users: JSON.parse(fs.readFileSync(usersFile, 'utf8')),
    usersFile,
    // The `whsec_…` secret Latchkey returned when setup.js registered the portal's webhook endpoint.
    webhookSecret: env.LATCHKEY_WEBHOOK_SECRET || undefined,
  };
}
