import type { MigrationInterface, QueryRunner } from 'typeorm';

const TYPES = `'user.created', 'user.updated', 'user.deleted', 'user.passwordReset', 'user.passwordUpdated',
          'user.resetPasswordToken.created', 'user.resetPasswordToken.revoked', 'user.resetPasswordRequested',
          'user.resetPasswordCanceled', 'personalAccessToken.created', 'personalAccessToken.revoked',
          'account.updated', 'emailTemplate.updated', 'webhook.created', 'webhook.updated', 'webhook.deleted'`;

/** The fan-out of 1764900000000-Webhooks, with `lock` after each read of the endpoints. */
const fanOut = (lock: string) => `
      CREATE OR REPLACE FUNCTION webhooks_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'webhook.test' THEN
          INSERT INTO webhook_deliveries (account_id, webhook_id, event_id, type, next_attempt_at, created_at)
          SELECT w.account_id, w.id, NEW.id, NEW.action, NEW.created_at, NEW.created_at
            FROM webhooks w
           WHERE w.id = (NEW.data ->> 'webhookId')::uuid AND w.account_id = NEW.account_id AND w.enabled${lock};
        ELSIF NEW.action IN (
          ${TYPES}
        ) THEN
          INSERT INTO webhook_deliveries (account_id, webhook_id, event_id, type, next_attempt_at, created_at)
          SELECT w.account_id, w.id, NEW.id, NEW.action, NEW.created_at, NEW.created_at
            FROM webhooks w
           WHERE w.account_id = NEW.account_id AND w.enabled AND (NEW.action = ANY (w.events) OR '*' = ANY (w.events))${lock};
        END IF;
        RETURN NULL;
      END
      $$`;

/**
 * The fan-out reads the subscribed endpoints with FOR KEY SHARE. Read without a lock, an endpoint that a concurrent
 * transaction was deleting was still listed, and the attempt queued for it broke the foreign key once the deletion
 * committed: the change that wrote the event failed with a 500. Locked, the read waits for that transaction and skips
 * the endpoint if it is gone (or, after a change that disabled it, no longer enabled).
 */
export class WebhookFanOutLocks1765100000000 implements MigrationInterface {
  name = 'WebhookFanOutLocks1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(fanOut('\n             FOR KEY SHARE OF w'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(fanOut(''));
  }
}
