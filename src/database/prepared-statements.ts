import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/** The part of node-postgres' Client this file relies on (the package ships no types). */
interface PgClient {
  query(config: unknown, values?: unknown, callback?: unknown): unknown;
}

const require = createRequire(import.meta.url);
/** A column of a row description, as node-postgres parses it. */
interface PgField {
  name: string;
  dataTypeID: number;
  format: string;
}
/** The part of node-postgres' Result that its addFields sets (pg/lib/result.js). */
interface PgResult {
  command: string | null;
  fields: PgField[];
  _parsers: unknown[] | undefined;
  _prebuiltEmptyResultObject: object | null;
}
/** What PreparedQuery sends on node-postgres' connection (pg/lib/connection.js), one protocol message each. */
interface PgConnection {
  bind(config: {
    portal: string;
    statement: string | undefined;
    values: unknown[];
    binary: boolean | undefined;
    valueMapper: unknown;
  }): void;
  execute(config: { portal: string; rows: number | undefined }): void;
  sync(): void;
  close(msg: { type: 'S'; name: string | undefined }): void;
}
/** A node-postgres query: what Client.query runs as it is when it is given one. */
interface PgQuery {
  name?: string;
  values: unknown[];
  portal: string;
  rows: number | undefined;
  binary: boolean | undefined;
  callback?: (err: Error | null, result?: unknown) => void;
  _result: PgResult;
  _accumulateRows: boolean;
  handleRowDescription(msg: { fields: PgField[] }): void;
  handleError(err: Error, connection: PgConnection): void;
  hasBeenParsed(connection: PgConnection): boolean;
  prepare(connection: PgConnection): void;
  listenerCount(event: string): number;
}
const { Client, Query } = require('pg') as {
  Client: new (config?: unknown) => PgClient;
  Query: new (text: string, values: unknown[]) => PgQuery;
};
/** How node-postgres turns a parameter into what the protocol sends (its own Query.prepare passes the same). */
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: unknown };

/** What node-postgres made of a statement's row description: its columns' parsers and the empty row it copies. */
interface RowShape {
  fields: PgField[];
  parsers: unknown[];
  template: object;
}

function sameColumns(a: PgField[], b: PgField[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].dataTypeID !== b[i].dataTypeID || a[i].format !== b[i].format) return false;
  }
  return true;
}

/**
 * A named statement's query. node-postgres asks PostgreSQL to describe the statement's columns on every run, parses
 * the description, and its Result builds their parsers and an empty row from them each time (`addFields`: a
 * null-prototype object filled key by key, then copied; 4–5 % of a `GET /v3/users/{id}`'s event loop). A prepared
 * statement's columns cannot change on its connection (PostgreSQL refuses to run it once they would: "cached plan
 * must not change result type"), so this keeps what the first run's description built and, from the second run on,
 * sends no Describe at all: the rows are read with the kept parsers.
 */
export class PreparedQuery extends Query {
  constructor(
    text: string,
    values: unknown[],
    private readonly shapes: Map<string, RowShape>,
  ) {
    super(text, values);
  }

  /**
   * node-postgres' prepare (pg/lib/query.js: Parse once per connection, then Bind, Describe, Execute, Sync) without
   * the Describe once this connection has parsed the statement and described its rows: the kept shape stands in for
   * the RowDescription that would come back. Anything else (a first run, a statement that returns no rows, a
   * cursor-style `rows`, binary results) goes node-postgres' own way.
   */
  override prepare(connection: PgConnection): void {
    const shape = this.name === undefined ? undefined : this.shapes.get(this.name);
    if (shape === undefined || this.rows || this.binary || !this.hasBeenParsed(connection)) {
      super.prepare(connection);
      return;
    }
    try {
      connection.bind({
        portal: this.portal,
        statement: this.name,
        values: this.values,
        binary: this.binary,
        valueMapper: prepareValue,
      });
    } catch (err) {
      // As node-postgres does: a parameter it cannot send fails the query, and the connection stays usable.
      connection.close({ type: 'S', name: this.name });
      connection.sync();
      this.handleError(err as Error, connection);
      return;
    }
    this.useShape(shape, shape.fields);
    connection.execute({ portal: this.portal, rows: this.rows });
    connection.sync();
  }

  override handleRowDescription(msg: { fields: PgField[] }): void {
    const shape = this.name === undefined ? undefined : this.shapes.get(this.name);
    // A second result of one query (never for one prepared statement) or new columns: node-postgres' own way.
    if (shape === undefined || this._result.command !== null || !sameColumns(shape.fields, msg.fields)) {
      super.handleRowDescription(msg);
      const result = this._result;
      if (this.name !== undefined && result._parsers !== undefined && result._prebuiltEmptyResultObject !== null) {
        this.shapes.set(this.name, {
          fields: msg.fields,
          parsers: result._parsers,
          template: result._prebuiltEmptyResultObject,
        });
      }
      return;
    }
    this.useShape(shape, msg.fields);
  }

  /** What addFields would set, with the parsers and the empty row shared: node-postgres only reads them. */
  private useShape(shape: RowShape, fields: PgField[]): void {
    const result = this._result;
    result.fields = fields;
    result._parsers = shape.parsers;
    result._prebuiltEmptyResultObject = shape.template;
    this._accumulateRows = this.callback !== undefined || this.listenerCount('row') === 0;
  }
}

/**
 * Statements one connection keeps prepared; past this it runs the rest unnamed, so that SQL built
 * at run time (IN lists, optional filters) cannot grow the server's memory without bound.
 */
const MAX_PREPARED_PER_CONNECTION = 100;
const MAX_CACHED_NAMES = 1000;
const names = new Map<string, string>();

/** A stable name per SQL text: the same statement gets the same name on every connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `lk_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    if (names.size < MAX_CACHED_NAMES) names.set(text, name);
  }
  return name;
}

/**
 * A node-postgres client that runs every parameterised statement as a named prepared statement:
 * PostgreSQL parses and plans it once per connection instead of on every call. TypeORM's query
 * runner passes plain (text, values), so this is where naming can happen without touching callers.
 * Not for a transaction-mode pooler (PgBouncer < 1.21) in front of PostgreSQL: connect directly.
 */
export class PreparingClient extends Client {
  private readonly prepared = new Set<string>();
  /** The row shape of each statement prepared on this connection (PreparedQuery). */
  private readonly shapes = new Map<string, RowShape>();

  override query(config: unknown, values?: unknown, callback?: unknown): unknown {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(config);
      if (this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION) {
        this.prepared.add(name);
        // The query is made here and handed over whole: given a config object instead, node-postgres copies it
        // property by property with getOwnPropertyDescriptors (about 3 % of a `GET /v3/users/{id}`'s CPU).
        const query = new PreparedQuery(config, values, this.shapes);
        query.name = name;
        if (typeof callback === 'function') {
          query.callback = callback as PgQuery['callback'];
          return super.query(query);
        }
        return new Promise((resolve, reject) => {
          query.callback = (err, result) => (err ? reject(err) : resolve(result));
          super.query(query);
        });
      }
    }
    return super.query(config, values, callback);
  }
}
