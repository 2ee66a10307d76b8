import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { freePort } from './ports.js';

/** The newest PostgreSQL server binaries installed the Debian way, or null. */
function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter(
      (v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')),
    )
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

const isRoot = () => process.getuid?.() === 0;

/** Why a throwaway cluster cannot be made here, or null when it can. */
export function pgClusterMissing(): string | null {
  if (!pgBinDir()) return 'no initdb/pg_ctl under /usr/lib/postgresql/*/bin';
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no "postgres" user to run PostgreSQL as';
    }
  }
  return null;
}

/**
 * A PostgreSQL cluster of the test's own, in a temp directory on a free loopback port with trust
 * auth, so tests may stop, restart and break it without touching the shared server. PostgreSQL
 * refuses to run as root, so as root its tools run as the `postgres` user.
 */
export class PgCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PgCluster> {
    const bin = pgBinDir();
    if (!bin) throw new Error('PostgreSQL binaries not found');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-pg-'));
    if (isRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      fs.chownSync(dir, uid, gid);
    }
    const cluster = new PgCluster(bin, dir, await freePort());
    await cluster.run('initdb', [
      '-D',
      cluster.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    await cluster.start();
    return cluster;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** Runs one of PostgreSQL's tools (as `postgres` when we are root), without blocking the event loop. */
  private async run(tool: string, args: string[]): Promise<void> {
    const exe = path.join(this.bin, tool);
    const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
    await promisify(execFile)(cmd, argv, { timeout: 90_000 });
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-k ${this.dir}`,
      '-c fsync=off',
      '-c shared_buffers=16MB',
      '-c max_connections=60',
    ].join(' ');
    await this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** `pg_ctl stop`: `fast` ends every session and shuts down cleanly; `immediate` is a crash. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** Runs one statement as the superuser. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    return adminQuery<T>(this.url(database), sql, params);
  }

  /** Kills every other client session (pg_terminate_backend), or only those of `applicationName`; returns how many. */
  async terminateConnections(applicationName?: string): Promise<number> {
    const rows = await this.query<{ n: string }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n
         FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
          AND ($1::text IS NULL OR application_name = $1)`,
      [applicationName ?? null],
    );
    return Number(rows[0].n);
  }

  /** Stops the server at once and deletes the cluster. */
  async destroy(): Promise<void> {
    try {
      await this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A new, empty database on the server of `baseUrl` (e.g. TEST_DATABASE_URL), dropped by `drop()`. */
export async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `latchkey_rel_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = async (sql: string) => void (await adminQuery(baseUrl, sql));
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a service killed mid-test may leave sessions behind.
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** One statement on its own short-lived connection. */
export async function adminQuery<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const ds = await new DataSource({
    type: 'postgres',
    url,
    poolSize: 1,
    extra: { connectionTimeoutMillis: 5000 },
  }).initialize();
  try {
    return (await ds.query(sql, params)) as T[];
  } finally {
    await ds.destroy();
  }
}
