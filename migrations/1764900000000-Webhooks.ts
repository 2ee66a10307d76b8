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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhooks`);
  }
}
