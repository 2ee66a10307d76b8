/**
 * TypeORM's postgres driver over embedded PGlite, written here rather than taken from `typeorm-pglite`:
 * that package hands the one PGlite session to every caller at once with a no-op release (concurrent
 * transactions would interleave their statements in it), keeps one process-wide instance instead of
 * one per data directory, takes no lock against a second process opening the same files, and does not
 * report rowCount/command the way the driver reads them for UPDATE and DELETE.
 */
import fs from 'node:fs';
import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';

type Callback = (err: Error | null, client?: PGliteClient | null, release?: (err?: unknown) => void) => void;

/** What TypeORM's postgres driver reads from a `pg` result. */
interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Results['fields'];
}

const commandOf = (sql: string) => /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';

function toPgResult(sql: string, r: Results): PgLikeResult {
  const command = commandOf(sql);
  const rowCount = r.affectedRows ?? r.rows.length;
  return { rows: r.rows, rowCount, command, fields: r.fields };
}

/** PGlite behaves like PostgreSQL for booleans only with this serializer. */
const boolSerializer = (v: unknown) => (v === true ? 'TRUE' : v === false ? 'FALSE' : String(v));

/**
 * One PGlite database per data directory, shared by every pool of the process.
 * PGlite has a single session, so connections are handed out one at a time: a transaction owns the
 * session until it is released, and no other caller's statement can slip into it.
 */
class EmbeddedDatabase {
  private static instances = new Map<string, EmbeddedDatabase>();
  private db: Promise<PGlite> | undefined;
  private unlock: (() => Promise<void>) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private users = 0;

  private constructor(
    private readonly dataDir: string,
    private readonly lockDir: string | undefined,
  ) {}

  static for(dataDir: string, lockDir: string | undefined): EmbeddedDatabase {
    let inst = this.instances.get(dataDir);
    if (!inst) {
      inst = new EmbeddedDatabase(dataDir, lockDir);
      this.instances.set(dataDir, inst);
    }
    return inst;
  }

  open(): Promise<PGlite> {
    this.db ??= (async () => {
      if (this.dataDir === 'memory://') return this.create();
      // No second process may ever open these files: the lock comes first (see data-dir-lock.ts).
      this.unlock = await lockDataDir(this.lockDir ?? this.dataDir);
      try {
        fs.mkdirSync(this.dataDir, { recursive: true });
        return await this.create();
      } catch (err) {
        await this.unlock();
        throw err;
      }
    })();
    return this.db;
  }

  private async create(): Promise<PGlite> {
    // Loaded when an embedded database is first opened: a service on PostgreSQL never needs its code in memory.
    const { PGlite, types } = await import('@electric-sql/pglite');
    return PGlite.create(this.dataDir, { serializers: { [types.BOOL]: boolSerializer } });
  }

  /** Waits for exclusive use of the session; resolves to the function that gives it back. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const turn = this.queue.then(() => {
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    });
    this.queue = this.queue.then(() => held);
    return turn;
  }

  retain() {
    this.users++;
  }

  async releaseOne(): Promise<void> {
    if (--this.users > 0 || !this.db) return;
    const db = await this.db;
    this.db = undefined;
    EmbeddedDatabase.instances.delete(this.dataDir);
    try {
      await db.close();
    } finally {
      await this.unlock?.();
    }
  }
}

class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown[] | ((...a: unknown[]) => void), cb?: (...a: unknown[]) => void) {
    if (typeof params === 'function') {
      cb = params;
      params = undefined;
    }
    try {
      let result: PgLikeResult;
      if (Array.isArray(params) && params.length > 0) {
        result = toPgResult(sql, await this.db.query(sql, params));
      } else {
        const all = await this.db.exec(sql);
        result = toPgResult(sql, all[all.length - 1] ?? { rows: [], fields: [] });
      }
      cb?.(null, result);
      return result;
    } catch (err) {
      cb?.(err);
      throw err;
    }
  }
}

/**
 * A `pg.Pool` look-alike over PGlite for TypeORM's postgres driver (`driver` option). `lockDir`
 * (default `dataDir`) is the directory this process holds exclusively while the database is open.
 */
export function pgliteDriver(dataDir: string, lockDir?: string) {
  const embedded = EmbeddedDatabase.for(dataDir, lockDir);
  class Pool extends EventEmitter {
    private ended = false;
    constructor() {
      super();
      embedded.retain();
    }

    connect(callback?: Callback): Promise<PGliteClient> | void {
      const run = async () => {
        const db = await embedded.open();
        const release = await embedded.acquire();
        return { client: new PGliteClient(db), release };
      };
      if (!callback) return run().then((r) => Object.assign(r.client, { release: r.release }));
      run().then(
        ({ client, release }) => callback(null, client, () => release()),
        (err: Error) => callback(err, null, () => undefined),
      );
    }

    async query(sql: string, params?: unknown[]) {
      const db = await embedded.open();
      const release = await embedded.acquire();
      try {
        return await new PGliteClient(db).query(sql, params);
      } finally {
        release();
      }
    }

    end(cb?: (err?: unknown) => void) {
      if (this.ended) return cb?.();
      this.ended = true;
      embedded.releaseOne().then(
        () => cb?.(),
        (err) => cb?.(err),
      );
    }
  }
  return { Pool };
}
