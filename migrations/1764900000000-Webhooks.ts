import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and their delivery attempts. An attempt row is written in the transaction of the
 * event it delivers, claimed with FOR UPDATE SKIP LOCKED under a lease, sent outside any transaction,
 * then marked; a failed attempt schedules the next one as a new row with the same event id.
 */
export class Webhooks1764900000000 implements MigrationInterface {
  name = 'Webhooks1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        secret_sealed text NOT NULL,
        previous_secret_sealed text,
        previous_secret_expires_at timestamptz,
        failing_since timestamptz,
        created_by_type text NOT NULL,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_webhooks_disabled_reason CHECK (disabled_reason IN ('failing', 'manual'))
      )`);
    await q.query(`CREATE INDEX ix_webhooks_account ON webhooks (account_id, created_at)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        type text NOT NULL,
        attempt int NOT NULL DEFAULT 1,
        status text NOT NULL DEFAULT 'pending',
        response_status int,
        error text,
        duration_ms int,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempted_at timestamptz,
        next_attempt_at timestamptz,
        locked_until timestamptz,
        CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'succeeded', 'failed'))
      )`);
    // The worker's claim: pending attempts that are due.
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    // The deliveries list of one endpoint, newest first.
    await q.query(`CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at)`);
    // The 30-day cleanup.
    await q.query(`CREATE INDEX ix_webhook_deliveries_created ON webhook_deliveries (created_at)`);

    // The fan-out, owned by the webhooks module: every event-log row of a deliverable type queues one
    // pending attempt per enabled endpoint of its account subscribed to it (or to '*'), in the transaction
    // that writes the event and without another round trip from the routes that write events. A
    // `webhook.test` event goes only to the endpoint named in its data. The list is WEBHOOK_EVENT_TYPES
    // (src/webhooks/webhook-events.ts) but `webhook.test`; a later type needs a migration that replaces
    // this function.
    await q.query(`
      CREATE FUNCTION webhooks_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'webhook.test' THEN
          INSERT INTO webhook_deliveries (account_id, webhook_id, event_id, type, next_attempt_at, created_at)
          SELECT w.account_id, w.id, NEW.id, NEW.action, NEW.created_at, NEW.created_at
            FROM webhooks w
           WHERE w.id = (NEW.data ->> 'webhookId')::uuid AND w.account_id = NEW.account_id AND w.enabled;
        ELSIF NEW.action IN (
          'user.created', 'user.updated', 'user.deleted', 'user.passwordReset', 'user.passwordUpdated',
          'user.resetPasswordToken.created', 'user.resetPasswordToken.revoked', 'user.resetPasswordRequested',
          'user.resetPasswordCanceled', 'personalAccessToken.created', 'personalAccessToken.revoked',
          'account.updated', 'emailTemplate.updated', 'webhook.created', 'webhook.updated', 'webhook.deleted'
        ) THEN
          INSERT INTO webhook_deliveries (account_id, webhook_id, event_id, type, next_attempt_at, created_at)
          SELECT w.account_id, w.id, NEW.id, NEW.action, NEW.created_at, NEW.created_at
            FROM webhooks w
           WHERE w.account_id = NEW.account_id AND w.enabled AND (NEW.action = ANY (w.events) OR '*' = ANY (w.events));
        END IF;
        RETURN NULL;
      END
      $$`);
    await q.query(
      `CREATE TRIGGER tr_event_logs_webhooks AFTER INSERT ON event_logs FOR EACH ROW EXECUTE FUNCTION webhooks_fan_out()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_event_logs_webhooks ON event_logs`);
    await q.query(`DROP FUNCTION IF EXISTS webhooks_fan_out()`);
    await q.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhooks`);
  }
}
