import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * @typedef {{
 *   receivedAt: string, webhookId: string, type: string, userId: string | null, outcome: string,
 * }} VerifiedEvent one delivery whose signature the portal verified, and what it did about it
 * @typedef {{ type: string, timestamp: string, data: { targetUserId?: string | null } }} LatchkeyEvent
 * @typedef {{
 *   find: (latchkeyUserId: string) => { email: string } | undefined,
 *   remove: (latchkeyUserId: string) => void,
 *   endSessions: (latchkeyUserId: string) => void,
 * }} PortalUsers what a webhook may change in the portal's own records
 */

const MAX_BODY_BYTES = 256 * 1024;
const KEPT_EVENTS = 100;
const REMEMBERED_IDS = 10_000;

/**
 * Latchkey's webhooks, received at `POST /webhooks/latchkey`. Each delivery is verified with the
 * `standardwebhooks` package on its raw body, then acted on once: Latchkey delivers at least once, so a
 * `webhook-id` seen before is answered 204 and changes nothing.
 *
 * - `user.passwordReset`: the customer's password was reset, so the portal ends her sessions;
 * - `user.deleted`: the customer is gone, so the portal removes her from its users table;
 * - any other type (e.g. `webhook.test`) is recorded and otherwise ignored.
 *
 * @param {{ secret: string, users: PortalUsers, log: (line: string) => void }} options
 */
export function createWebhookReceiver({ secret, users, log }) {
  const webhook = new Webhook(secret);
  /** @type {Set<string>} webhook-ids already acted on, oldest first (a real portal keeps them in its database). */
  const seen = new Set();
  /** @type {VerifiedEvent[]} newest first */
  const verified = [];
  let rejected = 0;

  /** @param {LatchkeyEvent} event */
  function act(event) {
    const userId = typeof event.data?.targetUserId === 'string' ? event.data.targetUserId : null;
    const user = userId ? users.find(userId) : undefined;
    if (event.type !== 'user.passwordReset' && event.type !== 'user.deleted') return { userId, outcome: 'no action' };
    if (!userId || !user) return { userId, outcome: 'not a customer of this portal: no action' };
    if (event.type === 'user.passwordReset') {
      users.endSessions(userId);
      return { userId, outcome: `sessions ended for ${user.email}` };
    }
    users.remove(userId);
    return { userId, outcome: `${user.email} removed from the portal's users` };
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @returns {Promise<{ status: number, text: string }>}
   */
  async function receive(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return { status: 413, text: 'Too large' };
      chunks.push(chunk);
    }
    // The raw body as it arrived: the signature covers these exact bytes.
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const header = (/** @type {string} */ name) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const headers = {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    };
    /** @type {LatchkeyEvent} */
    let event;
    try {
      event = /** @type {LatchkeyEvent} */ (webhook.verify(rawBody, headers));
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) return { status: 400, text: 'Body is not JSON' };
      rejected++;
      log(`webhook rejected: ${err.message}`);
      return { status: 401, text: 'Signature not verified' };
    }

    const webhookId = headers['webhook-id'];
    if (seen.has(webhookId)) {
      log(`webhook ${webhookId} (${event.type}) already handled: ignored`);
      return { status: 204, text: '' };
    }
    // Acted on before it is remembered: if acting throws, the 500 makes Latchkey retry.
    const { userId, outcome } = act(event);
    seen.add(webhookId);
    if (seen.size > REMEMBERED_IDS) seen.delete(/** @type {string} */ (seen.values().next().value));
    verified.unshift({ receivedAt: new Date().toISOString(), webhookId, type: event.type, userId, outcome });
    verified.length = Math.min(verified.length, KEPT_EVENTS);
    log(`webhook ${webhookId} verified: ${event.type}: ${outcome}`);
    return { status: 204, text: '' };
  }

  return {
    receive,
    /** The verified deliveries, newest first, and how many were refused. */
    log: () => ({ verified: [...verified], rejected }),
  };
}
