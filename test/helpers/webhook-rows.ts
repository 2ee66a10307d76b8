import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../src/common/secret-box.js';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import { WebhookDelivery } from '../../src/webhooks/webhook-delivery.entity.js';
import { Webhook } from '../../src/webhooks/webhook.entity.js';
import type { TestApp } from './app.js';

/** A fixed SECRETS_KEY, so that apps sharing a database (or reopening one) open each other's sealed secrets. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestEndpoint {
  id: string;
  secret: string;
}

/** An endpoint row as the routes would write it, its secret sealed; returns the secret in clear. */
export async function insertEndpoint(
  t: TestApp,
  accountId: string,
  url: string,
  fields: Partial<Pick<Webhook, 'enabled' | 'events' | 'failingSince'>> = {},
): Promise<TestEndpoint> {
  const id = randomUUID();
  const secret = newWebhookSecret();
  await t.app
    .get(DataSource)
    .getRepository(Webhook)
    .insert({
      id,
      accountId,
      url,
      events: ['*'],
      secretSealed: t.app.get(SecretBox).seal(secret, id),
      createdByType: 'system',
      createdById: null,
      ...fields,
    });
  return { id, secret };
}

/** Rotates an endpoint's secret as the route does: the old one keeps signing until `previousExpiresAt`. */
export async function rotateEndpointSecret(t: TestApp, endpoint: TestEndpoint, previousExpiresAt: Date) {
  const box = t.app.get(SecretBox);
  const secret = newWebhookSecret();
  await t.app
    .get(DataSource)
    .getRepository(Webhook)
    .update(endpoint.id, {
      secretSealed: box.seal(secret, endpoint.id),
      previousSecretSealed: box.seal(endpoint.secret, endpoint.id),
      previousSecretExpiresAt: previousExpiresAt,
    });
  return { id: endpoint.id, secret, previous: endpoint.secret };
}

/**
 * What `POST /v3/webhooks/{id}/test` writes: a `webhook.test` event (with the request's IP and user agent,
 * which a delivery must not carry), for which the event log's trigger queues one pending attempt for that
 * endpoint, due at the event's time. Returns the event id.
 */
export async function queueTestEvent(t: TestApp, accountId: string, webhookId: string): Promise<string> {
  const [{ id }]: { id: string }[] = await t.app.get(DataSource).query(
    `INSERT INTO event_logs (account_id, action, actor_type, actor_id, ip, user_agent, data, created_at)
     VALUES ($1, 'webhook.test', 'system', NULL, '203.0.113.9', 'test-agent/1.0', $2, $3) RETURNING id`,
    [accountId, JSON.stringify({ webhookId }), t.clock.now()],
  );
  return id;
}

/** An endpoint's attempts, oldest first. */
export const attemptsOf = (t: TestApp, webhookId: string) =>
  t.app
    .get(DataSource)
    .getRepository(WebhookDelivery)
    .find({ where: { webhookId }, order: { createdAt: 'ASC', attempt: 'ASC' } });

export const endpointRow = (t: TestApp, id: string) =>
  t.app.get(DataSource).getRepository(Webhook).findOneByOrFail({ id });
