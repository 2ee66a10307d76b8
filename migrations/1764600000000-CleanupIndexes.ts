import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial indexes over dead rows only, so the periodic cleanup finds used or revoked reset tokens
 * and revoked sessions by index in bounded batches; live rows never enter them.
 */
export class CleanupIndexes1764600000000 implements MigrationInterface {
  name = 'CleanupIndexes1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_reset_tokens_used ON reset_tokens (used_at) WHERE used_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_reset_tokens_revoked ON reset_tokens (revoked_at) WHERE revoked_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_sessions_revoked`);
    await q.query(`DROP INDEX IF EXISTS ix_reset_tokens_revoked`);
    await q.query(`DROP INDEX IF EXISTS ix_reset_tokens_used`);
  }
}
