import type { DataSource } from 'typeorm';

/** Fixed: every instance of the service takes the same advisory lock. */
const MIGRATION_LOCK_KEY = 73_162_024;

/**
 * Runs pending migrations. On PostgreSQL under an advisory lock, so instances started at once
 * against one empty database take turns: the first migrates, the others find nothing left to do.
 * The embedded database belongs to one process and its session is exclusive, so it needs no lock.
 */
export async function runMigrationsLocked(dataSource: DataSource, embedded: boolean): Promise<void> {
  if (embedded) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
