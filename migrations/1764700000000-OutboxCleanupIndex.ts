import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Finished outbox rows by the time they finished, so the periodic cleanup removes them in batches. */
export class OutboxCleanupIndex1764700000000 implements MigrationInterface {
  name = 'OutboxCleanupIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_outbox_processed ON outbox (processed_at) WHERE processed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_outbox_processed`);
  }
}
