import {
  DataSource,
  type DataSourceOptions,
  type ObjectLiteral,
  QueryFailedError,
  type QueryRunner,
  QueryRunnerAlreadyReleasedError,
  type ReplicationMode,
} from 'typeorm';

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
  connect(callback: (err: Error | undefined, client: PgClient) => void): void;
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
 * query builders, migrations and transactions themselves are untouched.
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

/** A statement on a query runner's connection (its transaction's, when it has one). */
function runOn(runner: QueryRunner, query: string, parameters: unknown[] | undefined): Promise<unknown> {
  if (runner.isReleased) return Promise.reject(new QueryRunnerAlreadyReleasedError());
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
