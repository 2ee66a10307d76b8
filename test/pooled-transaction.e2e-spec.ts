import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { PooledDataSource } from '../src/database/pooled-data-source.js';
import { adminQuery, createScratchDatabase } from './helpers/pg-cluster.js';

/**
 * `PooledDataSource.transaction(fn)` on PostgreSQL, which runs without TypeORM's transaction broadcasts: it must
 * commit, roll back and give its connection back exactly as TypeORM's own transaction does. Needs TEST_DATABASE_URL.
 */
const pgUrl = process.env.TEST_DATABASE_URL;
const describePg = pgUrl ? describe : describe.skip;

describePg('PooledDataSource.transaction on PostgreSQL', () => {
  let ds: PooledDataSource;
  let drop: () => Promise<void>;
  let url: string;
  const POOL = 3;

  beforeAll(async () => {
    ({ url, drop } = await createScratchDatabase(pgUrl!));
    const options = buildDataSourceOptions(
      new AppConfig({ NODE_ENV: 'test', DATABASE_URL: url, DB_POOL_SIZE: String(POOL) }),
    );
    ds = await new PooledDataSource({ ...options, migrations: [] }).initialize();
    await ds.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await ds.query('CREATE TABLE d (id int PRIMARY KEY, ref int REFERENCES t (id) DEFERRABLE INITIALLY DEFERRED)');
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  const rows = async () => (await ds.query('SELECT id, v FROM t ORDER BY id')) as { id: number; v: string }[];
  const idle = () => (ds.driver as unknown as { master: { idleCount: number; totalCount: number } }).master;
  const running = () => (ds.driver as unknown as { connectedQueryRunners: unknown[] }).connectedQueryRunners.length;

  it('commits what fn wrote and returns its result, on one connection', async () => {
    await ds.query('TRUNCATE t, d');
    const result = await ds.transaction(async (m) => {
      await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'a']);
      const [{ pid }] = (await m.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      const [{ pid: again }] = (await m.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      const [{ inTx }] = (await m.query(`SELECT now() = statement_timestamp() AS "inTx"`)) as { inTx: boolean }[];
      expect(again).toBe(pid);
      expect(inTx).toBe(false); // now() is the transaction's start, not this statement's
      return 'done';
    });
    expect(result).toBe('done');
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
    expect(running()).toBe(0);
  });

  it('rolls back everything and rethrows the original error when fn throws', async () => {
    await ds.query('TRUNCATE t, d');
    const boom = new Error('boom');
    await expect(
      ds.transaction(async (m) => {
        await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'a']);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await rows()).toEqual([]);
    expect(running()).toBe(0);
  });

  it('rolls back after a failed statement and gives the QueryFailedError', async () => {
    await ds.query('TRUNCATE t, d');
    await ds.query('INSERT INTO t (id, v) VALUES (1, $1)', ['kept']);
    const err = await ds
      .transaction(async (m) => {
        await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [2, 'b']);
        await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'duplicate']);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as { driverError: { code: string } }).driverError.code).toBe('23505');
    expect(await rows()).toEqual([{ id: 1, v: 'kept' }]);
  });

  it('fails and rolls back when COMMIT itself fails (a deferred constraint)', async () => {
    await ds.query('TRUNCATE t, d');
    const err = await ds
      .transaction(async (m) => {
        await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'a']);
        await m.query('INSERT INTO d (id, ref) VALUES ($1, $2)', [1, 99]); // checked at COMMIT
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as { driverError: { code: string } }).driverError.code).toBe('23503');
    expect(await rows()).toEqual([]);
    // The connection is usable afterwards: no transaction left open on it.
    for (let i = 0; i < POOL + 1; i++) await ds.transaction((m) => m.query('SELECT 1'));
    expect(running()).toBe(0);
  });

  it('runs a nested transaction as a savepoint of the outer one', async () => {
    await ds.query('TRUNCATE t, d');
    await ds.transaction(async (m) => {
      await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'outer']);
      await m
        .transaction(async (inner) => {
          await inner.query('INSERT INTO t (id, v) VALUES ($1, $2)', [2, 'inner']);
          throw new Error('undo the inner part only');
        })
        .catch(() => undefined);
      await m.transaction((inner) => inner.query('INSERT INTO t (id, v) VALUES ($1, $2)', [3, 'kept']));
    });
    expect(await rows()).toEqual([
      { id: 1, v: 'outer' },
      { id: 3, v: 'kept' },
    ]);
  });

  it('gives every connection back: more transactions than the pool, at once, some failing', async () => {
    await ds.query('TRUNCATE t, d');
    const results = await Promise.allSettled(
      Array.from({ length: POOL * 4 }, (_, i) =>
        ds.transaction(async (m) => {
          await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [i, `v${i}`]);
          if (i % 3 === 0) throw new Error(`fail ${i}`);
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 4, 5, 7, 8, 10, 11]);
    expect(running()).toBe(0);
    expect(idle().idleCount).toBe(idle().totalCount);
  });

  it('releases a connection that breaks inside the transaction, and the pool serves on', async () => {
    await ds.query('TRUNCATE t, d');
    const err = await ds
      .transaction(async (m) => {
        await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'lost']);
        const [{ pid }] = (await m.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
        await adminQuery(url, 'SELECT pg_terminate_backend($1)', [pid]);
        await m.query('SELECT 1');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(running()).toBe(0);
    expect(await rows()).toEqual([]);
    for (let i = 0; i < POOL + 1; i++) {
      await ds.transaction((m) => m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [10 + i, 'after']));
    }
    expect((await rows()).map((r) => r.id)).toEqual([10, 11, 12, 13]);
  });

  it('fails a statement after the connection was lost between two statements with the connection’s own error', async () => {
    await ds.query('TRUNCATE t, d');
    const err = await ds
      .transaction(async (m) => {
        const [{ pid }] = (await m.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
        await adminQuery(url, 'SELECT pg_terminate_backend($1)', [pid]);
        // The connection reports its end while the transaction is between statements, and is given back.
        await new Promise((r) => setTimeout(r, 200));
        await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [1, 'after the loss']);
      })
      .catch((e: unknown) => e as Error);
    // What the exception filter answers 503 for (a lost database), not TypeORM's "query runner already released".
    expect(err).toBeInstanceOf(Error);
    expect(err!.constructor.name).not.toBe('QueryRunnerAlreadyReleasedError');
    expect(String(err!.message)).toMatch(/terminating connection|Connection terminated/i);
    expect(running()).toBe(0);
    expect(await rows()).toEqual([]);
  });

  it('keeps TypeORM’s own path for an isolation level', async () => {
    const level = await ds.transaction('SERIALIZABLE', async (m) => {
      const [{ transaction_isolation }] = (await m.query('SHOW transaction_isolation')) as {
        transaction_isolation: string;
      }[];
      return transaction_isolation;
    });
    expect(level).toBe('serializable');
  });
});
