import type { EntityManager } from 'typeorm';

/** The timestamp columns whose age makes a row dead: expired, used, revoked, processed or, for a log, created. */
export type DeadSince = 'expires_at' | 'used_at' | 'revoked_at' | 'processed_at' | 'created_at';

/**
 * Deletes at most `limit` rows of `table` whose `column` is before `cutoff`, in one statement, and returns how many.
 * For the owner of `table` only (the maintenance run calls each owner); `table` and `column` are constants of the
 * owner, never input.
 */
export async function deleteBatchOlderThan(
  manager: EntityManager,
  table: string,
  column: DeadSince,
  cutoff: Date,
  limit: number,
): Promise<number> {
  // Plain SQL: the ORM has no DELETE … LIMIT; the subquery keeps each statement's locks and WAL small.
  const [, count]: [unknown, number] = await manager.query(
    `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${column} < $1 LIMIT $2)`,
    [cutoff, limit],
  );
  return count;
}
