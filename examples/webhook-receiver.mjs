#!/usr/bin/env node
// A minimal webhook receiver: verifies each delivery with the `standardwebhooks` package, ignores a delivery whose
// `webhook-id` it has already seen (delivery is at least once), and prints one line per verified event.
//
//   WEBHOOK_SECRET=whsec_… [RECEIVER_PORT=4001] [RECEIVER_LOG=events.log] node examples/webhook-receiver.mjs
//
// It answers 204 to a verified delivery (and to a duplicate), 401 when the signature, the timestamp (more than
// 5 minutes off) or a header is wrong, 400 when the body is not JSON, 413 above 1 MiB. RECEIVER_LOG, when set, is a
// file that each verified event's line is appended to, so a script can wait for one.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const MAX_BODY_BYTES = 1024 * 1024;
const REMEMBERED_IDS = 10_000;

/**
 * @param {{ secret: string, logFile?: string, log?: (line: string) => void }} options
 * @returns {http.Server}
 */
export function createReceiver({ secret, logFile, log = console.log }) {
  const webhook = new Webhook(secret);
  /** webhook-ids already handled, oldest first (a real receiver keeps them in its database, with a unique key). */
  const seen = new Set();

  return http.createServer(async (req, res) => {
    const reply = (/** @type {number} */ status, /** @type {string} */ text = '') => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (req.method !== 'POST') return reply(405, 'POST only\n');

    // Verify the raw bytes as they arrived: a body parsed and serialised again no longer matches the signature.
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return reply(413, 'too large\n');
      chunks.push(chunk);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };

    let event;
    try {
      event = /** @type {{ type: string, data?: { targetUserId?: string | null } }} */ (
        webhook.verify(rawBody, headers)
      );
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) return reply(400, 'body is not JSON\n');
      log(`rejected ${headers['webhook-id'] || '(no webhook-id)'}: ${err.message}`);
      return reply(401, 'signature not verified\n');
    }

    const id = headers['webhook-id'];
    if (seen.has(id)) {
      log(`duplicate ${id} ignored`);
      return reply(204);
    }
    seen.add(id);
    if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value);

    const line = `verified ${event.type} ${id}${event.data?.targetUserId ? ` user ${event.data.targetUserId}` : ''}`;
    log(line);
    if (logFile) fs.appendFileSync(logFile, `${line}\n`);
    return reply(204);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error('WEBHOOK_SECRET is required: the whsec_… secret Latchkey returned when the endpoint was created');
    process.exit(1);
  }
  const port = Number(process.env.RECEIVER_PORT ?? 4001);
  const host = process.env.RECEIVER_HOST ?? '127.0.0.1';
  const server = createReceiver({ secret, logFile: process.env.RECEIVER_LOG || undefined });
  server.listen(port, host, () => console.log(`webhook receiver on http://localhost:${port}/ (${host}:${port})`));
  for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)));
}
