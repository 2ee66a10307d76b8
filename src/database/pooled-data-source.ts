import {
  DataSource,
  type DataSourceOptions,
  type EntityManager,
  type ObjectLiteral,
  QueryFailedError,
  type QueryRunner,
  QueryRunnerAlreadyReleasedError,
  type ReplicationMode,
} from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';

/** What this file uses of node-postgres (the package ships no types). */
interface PgResult {
  command: string;
  rows: unknown[];
  rowCount: number | null;
}
interface PgClient {
  query(text: string, values: unknown[] | undefined, callback: (err: Error | null, result: PgResult) => void): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
  release(err?: Error): void;
}
interface PgPool {
  connect(callback: (err: Error | undefined, client: PgClient, release: (err?: Error) => void) => void): void;
}

/** The state of TypeORM's PostgresQueryRunner that its connect(), startTransaction() and release() keep. */
interface RunnerState {
  databaseConnection?: PgClient;
  releaseCallback?: (err?: Error) => void;
  releasePostgresConnection(err?: Error): Promise<void>;
  isTransactionActive: boolean;
  transactionDepth: number;
  driver: { connectedQueryRunners: unknown[] };
}

/** The value TypeORM's PostgresQueryRunner.query gives for a raw result: rows, and the count for UPDATE and DELETE. */
const resultOf = (raw: PgResult): unknown =>
  raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;

/**
 * TypeORM's DataSource with a shorter path for raw SQL (`dataSource.query`, `manager.query`, `repository.query`) on
 * PostgreSQL. TypeORM runs each statement through a query runner made for it (connect, an error listener, the
 * BeforeQuery/AfterQuery broadcasts, the logger, a result object, release): about 20 µs of CPU and a dozen
 * allocations on top of the statement, which on `GET /v3/users/{id}` is most of what the service spends beyond the
 * driver (BENCHMARKS.md). Here a statement outside a transaction takes a pooled connection, runs and gives it back,
 * and one inside a transaction runs on its query runner's connection. Results and errors are TypeORM's own: the
 * rows (with the affected count for UPDATE and DELETE) and QueryFailedError. The project registers no subscribers
 * and logs no queries (database.options.ts), so nothing that TypeORM's path would do is lost; entity methods,
 * query builders and migrations are untouched, and `transaction(fn)` keeps TypeORM's query runner and its state (see
 * below).
 */
export class PooledDataSource extends DataSource {
  constructor(options: DataSourceOptions) {
    super(options);
  }

  /**
   * A query runner whose statements without parameters and without a structured result (TypeORM's own START
   * TRANSACTION, COMMIT, ROLLBACK and savepoints, around every `transaction()`) take the same short path as raw SQL.
   */
  override createQueryRunner(mode?: ReplicationMode): QueryRunner {
    const runner = super.createQueryRunner(mode);
    if (!this.pooled) return runner;
    const typeormQuery = runner.query.bind(runner) as (q: string, p?: unknown[], s?: boolean) => Promise<unknown>;
    const query = (sql: string, parameters?: unknown[], useStructuredResult = false): Promise<unknown> => {
      if (parameters !== undefined || useStructuredResult) return typeormQuery(sql, parameters, useStructuredResult);
      return runOn(runner, sql, undefined);
    };
    runner.query = query as QueryRunner['query'];
    return runner;
  }

  /**
   * `transaction(fn)` as TypeORM runs it (a query runner on one pooled connection, START TRANSACTION, fn with the
   * runner's manager, COMMIT, or ROLLBACK when anything throws, then release), without what the project does not use:
   * the four transaction broadcasts of TypeORM's path (no subscribers are registered) and the promise chain of its
   * connect(). Nested `manager.transaction()` calls inside fn use savepoints exactly as before, since the runner's
   * depth and state are TypeORM's own. About a dozen promises fewer on every request that writes (BENCHMARKS.md).
   * With an isolation level, subscribers, or the embedded database, TypeORM's own path runs.
   */
  override transaction<T>(runInTransaction: (entityManager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(
    isolationLevel: IsolationLevel,
    runInTransaction: (entityManager: EntityManager) => Promise<T>,
  ): Promise<T>;
  override transaction<T>(
    isolationOrRun: IsolationLevel | ((entityManager: EntityManager) => Promise<T>),
    maybeRun?: (entityManager: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (typeof isolationOrRun !== 'function' || !this.pooled || this.subscribers.length > 0) {
      return typeof isolationOrRun === 'function'
        ? super.transaction(isolationOrRun)
        : super.transaction(isolationOrRun, maybeRun!);
    }
    return this.pooledTransaction(isolationOrRun);
  }

  private async pooledTransaction<T>(run: (entityManager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.createQueryRunner() as unknown as RunnerState & QueryRunner;
    await attachConnection(runner, (this.driver as unknown as { master: PgPool }).master);
    try {
      // As TypeORM sets them for a transaction's body: nested manager.transaction() calls make savepoints. A START
      // TRANSACTION that fails is rolled back too, as in TypeORM. The runner is dropped once released, so its state
      // is not reset afterwards.
      runner.isTransactionActive = true;
      runner.transactionDepth = 1;
      await runOn(runner, 'START TRANSACTION', undefined);
      const result = await run(runner.manager);
      await runOn(runner, 'COMMIT', undefined);
      return result;
    } catch (err) {
      // The original error is what the caller gets, whether or not the rollback succeeds.
      await runOn(runner, 'ROLLBACK', undefined).catch(() => undefined);
      throw err;
    } finally {
      await runner.releasePostgresConnection();
    }
  }

  /** PostgreSQL by URL through node-postgres' pool (not the embedded database). */
  private get pooled(): boolean {
    return 'url' in this.options && !!this.options.url;
  }

  override query<T = unknown>(
    query: string,
    parameters?: unknown[] | ObjectLiteral,
    queryRunner?: QueryRunner,
  ): Promise<T> {
    // PGlite (embedded mode) and named parameters keep TypeORM's own path.
    if (!this.pooled || (parameters !== undefined && !Array.isArray(parameters))) {
      return super.query<T>(query, parameters, queryRunner);
    }
    if (queryRunner) return runOn(queryRunner, query, parameters) as Promise<T>;
    // node-postgres' callback forms: one promise for the whole statement, where its promise forms make six (pg-pool's
    // connect alone makes three), on every statement of every request (BENCHMARKS.md).
    return new Promise<T>((resolve, reject) => {
      (this.driver as unknown as { master: PgPool }).master.connect((connectError, client) => {
        if (connectError) return reject(connectError);
        // A connection that fails while it is out of the pool is given back with the error, so that the pool drops it.
        let broken: Error | undefined;
        const onError = (err: Error) => (broken = err);
        client.on('error', onError);
        send(client, query, parameters, (err, result) => {
          client.removeListener('error', onError);
          client.release(broken);
          if (err) reject(err);
          else resolve(result as T);
        });
      });
    });
  }
}

/**
 * Gives a new query runner a pooled connection as TypeORM's PostgresQueryRunner.connect() does (the runner is listed
 * as connected, an error on the connection releases it with the error, release gives it back), in pg-pool's callback
 * form: one promise where TypeORM's connect makes three.
 */
function attachConnection(runner: RunnerState, pool: PgPool): Promise<void> {
  return new Promise((resolve, reject) =>
    pool.connect((err, connection, release) => {
      if (err) return reject(err);
      runner.driver.connectedQueryRunners.push(runner);
      runner.databaseConnection = connection;
      const onError = (error: Error) => {
        lostConnections.set(runner, error);
        void runner.releasePostgresConnection(error);
      };
      runner.releaseCallback = (error?: Error) => {
        connection.removeListener('error', onError);
        release(error);
      };
      connection.on('error', onError);
      resolve();
    }),
  );
}

/**
 * Why a transaction's connection was given back early: the error the connection reported (PostgreSQL terminated the
 * backend, the socket closed). A later statement of the transaction fails with it, so that the caller answers 503 as
 * for any lost database, not with TypeORM's "query runner already released".
 */
const lostConnections = new WeakMap<object, Error>();

/** A statement on a query runner's connection (its transaction's, when it has one). */
function runOn(runner: QueryRunner, query: string, parameters: unknown[] | undefined): Promise<unknown> {
  if (runner.isReleased) return Promise.reject(lostConnections.get(runner) ?? new QueryRunnerAlreadyReleasedError());
  // Connected already (every statement of a transaction after its START TRANSACTION): no promise to wait for.
  const connection = (runner as { databaseConnection?: PgClient }).databaseConnection;
  if (connection) return run(connection, query, parameters);
  return runner.connect().then((c: PgClient) => run(c, query, parameters));
}

function run(connection: PgClient, query: string, parameters: unknown[] | undefined): Promise<unknown> {
  return new Promise((resolve, reject) =>
    send(connection, query, parameters, (err, r) => (err ? reject(err) : resolve(r))),
  );
}

/** Runs a statement in node-postgres' callback form; `done` gets TypeORM's result, or a QueryFailedError. */
function send(
  connection: PgClient,
  query: string,
  parameters: unknown[] | undefined,
  done: (err: Error | null, result?: unknown) => void,
): void {
  const callback = (err: Error | null, raw?: PgResult) =>
    err ? done(new QueryFailedError(query, parameters, err)) : done(null, resultOf(raw!));
  try {
    connection.query(query, parameters, callback);
  } catch (err) {
    callback(err as Error);
  }
}
