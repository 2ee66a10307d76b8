import type { DataSource, QueryRunner } from 'typeorm';

/** A statement and its parameters. */
export type Statement = readonly [sql: string, params: readonly unknown[]];

/**
 * Another request's transaction, held open on a connection of its own: it has run `statements` and keeps their locks
 * until `finish` runs `rest` and commits (or rolls back, when one of them fails, and rethrows). A route started
 * meanwhile meets those locks every time, not by chance. PostgreSQL only: the embedded database runs one transaction
 * at a time.
 */
export async function transactionHeldOpen(ds: DataSource, statements: readonly Statement[]) {
  const runner: QueryRunner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  for (const [sql, params] of statements) await runner.query(sql, [...params]);
  return {
    finish: async (rest: readonly Statement[] = []) => {
      try {
        for (const [sql, params] of rest) await runner.query(sql, [...params]);
        await runner.commitTransaction();
      } catch (err) {
        await runner.rollbackTransaction();
        throw err;
      } finally {
        await runner.release();
      }
    },
  };
}

/** Until some statement of this database waits for a lock: `what` (for the error after 10 s) has reached one held. */
export async function untilWaitingOnALock(ds: DataSource, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )) as { n: number }[];
    if (n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} never waited for the transaction held open`);
}
