// Webhook delivery throughput of one instance: N events for an account with E endpoints (the event log's
// trigger queues N × E pending attempts), then the time the worker takes to deliver them all to a local
// receiver that answers 204 at once. Runs the built service in-process (needs `npm run build`), on an
// embedded PGlite database in a temp directory, or on DATABASE_URL (whose webhook rows it adds to).
//
//   node bench/webhooks.mjs --events 250 --endpoints 8
import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '250' }, endpoints: { type: 'string', default: '8' } },
});
const EVENTS = Number(values.events);
const ENDPOINTS = Number(values.endpoints);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(ROOT, 'dist', 'src', p)).href;
const dataDir = process.env.DATABASE_URL
  ? undefined
  : fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-webhooks-'));
Object.assign(process.env, {
  ...(dataDir ? { DATA_DIR: dataDir } : {}),
  WEBHOOK_WORKER: 'off',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  OUTBOX_WORKER: 'off',
  CLEANUP_INTERVAL_MS: '86400000',
  LOG_LEVEL: 'warn',
});

let received = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://localhost:${receiver.address().port}/hook`;

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import(dist('app.module.js'));
const { WebhookDeliveryWorker } = await import(dist('webhooks/webhook-delivery.worker.js'));
const { SecretBox } = await import(dist('webhooks/secret-box.js'));
const { newWebhookSecret } = await import(dist('webhooks/signing.js'));
const { DataSource } = await import('typeorm');
const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
await app.init();
const db = app.get(DataSource);
const box = app.get(SecretBox);
const worker = app.get(WebhookDeliveryWorker);

try {
  const [{ id: accountId }] = await db.query(
    `INSERT INTO accounts (name, alias) VALUES ('Bench webhooks', 'bench-webhooks-' || md5(random()::text)) RETURNING id`,
  );
  const endpoints = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    const [{ id }] = await db.query(`SELECT gen_random_uuid() AS id`);
    await db.query(
      `INSERT INTO webhooks (id, account_id, url, events, secret_sealed, created_by_type) VALUES ($1, $2, $3, '{*}', $4, 'system')`,
      [id, accountId, url, box.seal(newWebhookSecret(), id)],
    );
    endpoints.push(id);
  }
  // The event log's trigger queues one pending attempt per endpoint for each event.
  await db.query(
    `INSERT INTO event_logs (account_id, action, actor_type, data)
     SELECT $1, 'user.updated', 'system', jsonb_build_object('n', k) FROM generate_series(1, $2) AS k`,
    [accountId, EVENTS],
  );

  const started = performance.now();
  const attempted = await worker.drain();
  const seconds = (performance.now() - started) / 1000;
  const [{ succeeded }] = await db.query(
    `SELECT count(*)::int AS succeeded FROM webhook_deliveries WHERE account_id = $1 AND status = 'succeeded'`,
    [accountId],
  );
  console.log(
    JSON.stringify({
      database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
      events: EVENTS,
      endpoints: ENDPOINTS,
      attempted,
      received,
      succeeded,
      seconds: Number(seconds.toFixed(2)),
      deliveriesPerSecond: Math.round(succeeded / seconds),
    }),
  );
  if (process.env.DATABASE_URL) await db.query(`DELETE FROM accounts WHERE id = $1`, [accountId]);
} finally {
  await app.close();
  receiver.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
