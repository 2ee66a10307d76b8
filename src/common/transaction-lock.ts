import type { EntityManager } from 'typeorm';

/**
 * Takes the advisory lock named `key` for the rest of `manager`'s transaction: transactions that lock the same key run
 * one after another. Plain SQL: the ORM has no advisory lock.
 */
export async function lockForTransaction(manager: EntityManager, key: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
}
