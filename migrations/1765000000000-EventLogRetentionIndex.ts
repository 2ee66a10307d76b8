import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events by the time they were written, so the periodic cleanup deletes those past 400 days in batches. */
export class EventLogRetentionIndex1765000000000 implements MigrationInterface {
  name = 'EventLogRetentionIndex1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_event_logs_created ON event_logs (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_event_logs_created`);
  }
}
