import fs from 'node:fs';
import http from 'node:http';
import nodemailer from 'nodemailer';
import { createLatchkeyClient } from '../../client/index.js';
import {
  cancelResetPage,
  forgotPasswordPage,
  resetEmail,
  resetPasswordPage,
  resetRequestedPage,
  webhookLogPage,
} from './pages.js';
import { createWebhookReceiver } from './webhooks.js';

/** @typedef {import('./config.js').PortalConfig} PortalConfig */

const ASSETS = {
  '/assets/reset.js': 'text/javascript; charset=utf-8',
  '/assets/cancel.js': 'text/javascript; charset=utf-8',
  '/assets/portal.css': 'text/css; charset=utf-8',
  '/assets/favicon.svg': 'image/svg+xml',
};
const MAX_FORM_BYTES = 4096;

/**
 * The portal: a "forgot password" form, its branded email, and a reset page. It holds a personal access
 * token with the `user:resetPasswordToken` scope only, so all it can do in Latchkey is issue reset tokens.
 * It learns what happened to its customers in Latchkey from signed webhooks (`webhooks.js`).
 * @param {PortalConfig} config
 */
export function createPortal(config) {
  const log = console.log;
  const latchkey = createLatchkeyClient(config.latchkeyUrl, config.latchkeyPat);
  const mailer = nodemailer.createTransport(config.smtpUrl);
  const usersByEmail = new Map(config.users.map((u) => [u.email.trim().toLowerCase(), u]));
  const usersById = new Map(config.users.map((u) => [u.latchkeyUserId, u]));
  /**
   * Latchkey user id → the instant her portal sessions ended: a portal with sessions refuses (or deletes) those
   * created before it. This demo portal signs nobody in, so nothing else reads it.
   * @type {Map<string, string>}
   */
  const sessionsEnded = new Map();
  /** @type {import('./webhooks.js').PortalUsers} */
  const portalUsers = {
    find: (id) => usersById.get(id),
    remove(id) {
      const user = usersById.get(id);
      if (!user) return;
      usersById.delete(id);
      usersByEmail.delete(user.email.trim().toLowerCase());
      sessionsEnded.delete(id);
      // The users file stands in for the portal's database: the removal outlives a restart.
      const next = `${config.usersFile}.${process.pid}.tmp`;
      fs.writeFileSync(next, `${JSON.stringify([...usersById.values()], null, 2)}\n`);
      fs.renameSync(next, config.usersFile);
    },
    endSessions: (id) => void sessionsEnded.set(id, new Date().toISOString()),
  };
  const webhooks = config.webhookSecret
    ? createWebhookReceiver({ secret: config.webhookSecret, users: portalUsers, log })
    : undefined;
  // Nothing from other origins but the calls to Latchkey's reset-password routes; no inline code.
  const csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
    `connect-src ${new URL(config.latchkeyUrl).origin}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

  /** @param {string} email */
  async function sendResetLink(email) {
    const user = usersByEmail.get(email);
    if (!user) return;
    const { data, error, response } = await latchkey.POST('/v3/users/{id}/reset-password-token', {
      params: { path: { id: user.latchkeyUserId } },
      body: { expiresInSeconds: config.resetTtlSeconds },
    });
    if (!data) {
      log(`reset token for user ${user.latchkeyUserId} refused: ${response.status} ${error?.code}`);
      return;
    }
    // The user id rides in the query; the token only in the fragment, which no server ever receives.
    const target = `?userId=${encodeURIComponent(user.latchkeyUserId)}#token=${encodeURIComponent(data.resetPasswordToken)}`;
    const mail = resetEmail({
      brand: config.brand,
      firstName: user.firstName,
      link: `${config.portalUrl}/reset-password${target}`,
      cancelLink: `${config.portalUrl}/reset-password/cancel${target}`,
      expiresAt: data.expiresAt,
    });
    await mailer.sendMail({ from: config.mailFrom, to: user.email, ...mail });
    log(`reset link sent to user ${user.latchkeyUserId}`);
  }

  /**
   * @param {http.ServerResponse} res
   * @param {number} status
   * @param {string} type
   * @param {string | Buffer} body
   * @param {Record<string, string>} [headers]
   */
  function send(res, status, type, body, headers = {}) {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': csp,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(body);
  }

  /** @param {http.IncomingMessage} req */
  async function readForm(req) {
    let size = 0;
    const chunks = [];
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) throw new Error('form too large');
      chunks.push(chunk);
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  const html = 'text/html; charset=utf-8';
  return http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://portal').pathname;
    try {
      if (req.method === 'GET' && path === '/') {
        send(res, 303, html, '', { Location: '/forgot-password' });
      } else if (req.method === 'GET' && path === '/favicon.ico') {
        send(res, 301, html, '', { Location: '/assets/favicon.svg' });
      } else if (req.method === 'GET' && path === '/forgot-password') {
        send(res, 200, html, forgotPasswordPage(config.brand));
      } else if (req.method === 'POST' && path === '/forgot-password') {
        const email = (await readForm(req)).get('email')?.trim().toLowerCase() ?? '';
        // Answer at once and alike for every address, so the page tells nobody who has an account.
        send(res, 303, html, '', { Location: '/forgot-password/sent' });
        sendResetLink(email).catch((err) => log(`reset link not sent: ${err.message}`));
      } else if (req.method === 'GET' && path === '/forgot-password/sent') {
        send(res, 200, html, resetRequestedPage(config.brand));
      } else if (req.method === 'GET' && path === '/reset-password') {
        send(res, 200, html, resetPasswordPage(config.brand, config.latchkeyUrl));
      } else if (req.method === 'GET' && path === '/reset-password/cancel') {
        send(res, 200, html, cancelResetPage(config.brand, config.latchkeyUrl));
      } else if (req.method === 'POST' && path === '/webhooks/latchkey') {
        if (!webhooks) {
          send(
            res,
            503,
            'text/plain; charset=utf-8',
            'Webhooks are not configured: LATCHKEY_WEBHOOK_SECRET is not set',
          );
        } else {
          const { status, text } = await webhooks.receive(req);
          send(res, status, 'text/plain; charset=utf-8', text);
        }
      } else if (req.method === 'GET' && path === '/webhooks/log') {
        const log = webhooks?.log() ?? { verified: [], rejected: 0 };
        send(res, 200, html, webhookLogPage(config.brand, { configured: webhooks !== undefined, ...log }));
      } else if (req.method === 'GET' && Object.hasOwn(ASSETS, path)) {
        const file = new URL(`./public/${path.slice('/assets/'.length)}`, import.meta.url);
        send(res, 200, ASSETS[/** @type {keyof typeof ASSETS} */ (path)], await fs.promises.readFile(file));
      } else {
        send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      }
    } catch (err) {
      log(`request failed: ${/** @type {Error} */ (err).message}`);
      // A webhook whose action failed is answered 500, so Latchkey delivers it again.
      const status = path === '/webhooks/latchkey' ? 500 : 400;
      if (!res.headersSent) send(res, status, 'text/plain; charset=utf-8', status === 500 ? 'Failed' : 'Bad request');
    }
  });
}
