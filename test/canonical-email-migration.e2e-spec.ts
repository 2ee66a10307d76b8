import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { CanonicalEmails1764800000000 } from '../migrations/1764800000000-CanonicalEmails.js';
import { AppConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { createScratchDatabase } from './helpers/pg-cluster.js';

/**
 * The migration that introduces users.email_canonical, run over rows an earlier version wrote:
 * on PostgreSQL in a scratch database when TEST_DATABASE_URL is set, else on PGlite.
 */
describe('migration CanonicalEmails', () => {
  let options: DataSourceOptions;
  let cleanup: () => Promise<void>;
  const before = migrations.slice(0, migrations.indexOf(CanonicalEmails1764800000000));

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-migration-'));
    let url: string | undefined;
    let drop = async () => {};
    if (process.env.TEST_DATABASE_URL) ({ url, drop } = await createScratchDatabase(process.env.TEST_DATABASE_URL));
    options = buildDataSourceOptions(new AppConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: url }));
    cleanup = async () => {
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }, 60_000);
  afterAll(async () => cleanup?.());

  /** Runs `fn` on a data source that knows `list` as its migrations. */
  async function withDb<T>(list: typeof migrations, fn: (db: DataSource) => Promise<T>): Promise<T> {
    const db = await new DataSource({ ...options, migrations: list } as DataSourceOptions).initialize();
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }

  it('refuses, listing the rows, when existing emails collide under the new form; then fills the column', async () => {
    const rows: Record<string, string> = {};
    await withDb(before, async (db) => {
      await db.runMigrations({ transaction: 'each' });
      const [{ id: account }] = await db.query(
        `INSERT INTO accounts (name, alias) VALUES ('Old', 'old-data') RETURNING id`,
      );
      const insert = async (key: string, email: string) => {
        const [{ id }] = await db.query(
          `INSERT INTO users (account_id, email, first_name, last_name, role) VALUES ($1, $2, 'O', 'Ld', 'user') RETURNING id`,
          [account, email],
        );
        rows[key] = id as string;
      };
      // Distinct under lower(email), one user under the canonical form.
      await insert('bucher', 'ada@bücher.example');
      await insert('punycode', 'ada@XN--BCHER-KVA.example');
      await insert('composed', 'jos\u00e9@old.test');
      await insert('decomposed', 'jose\u0301@old.test');
      // Its canonical form keeps the dot: JavaScript's lower-case of İ is i + U+0307, not i.
      await insert('dotted', 'İris@old.test');
      await insert('hidden', 'bob\u200b@old.test');
      // Unique either way, and stored in NFC once the migration ran.
      await insert('umlaut', 'zoe\u0308@old.test');
    });

    const refusal = await withDb(migrations, (db) => db.runMigrations({ transaction: 'each' })).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(refusal).toMatch(/^Cannot start: 2 group\(s\) of users share one canonical email and 1 email\(s\)/);
    for (const key of ['bucher', 'punycode', 'composed', 'decomposed', 'hidden']) expect(refusal).toContain(rows[key]);
    expect(refusal).toContain('"ada@xn--bcher-kva.example"');
    expect(refusal).toContain(JSON.stringify('ada@bücher.example'));
    // Invisible and combining characters are spelled out, so the operator sees which row is which.
    expect(refusal).toContain('"jose\\u0301@old.test"');
    expect(refusal).toContain('"bob\\u200b@old.test"');
    expect(refusal).not.toContain(rows.dotted);

    await withDb(before, async (db) => {
      // Nothing changed: the column is not there, the old index is.
      const columns = await db.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email_canonical'`,
      );
      expect(columns).toEqual([]);
      expect(await db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'uq_users_account_email'`)).toHaveLength(1);
      // The operator resolves the collisions.
      await db.query(`DELETE FROM users WHERE id = ANY($1)`, [[rows.punycode, rows.decomposed, rows.hidden]]);
    });

    await withDb(migrations, async (db) => {
      await db.runMigrations({ transaction: 'each' });
      const found: { id: string; email: string; email_canonical: string }[] = await db.query(
        `SELECT id, email, email_canonical FROM users WHERE id = ANY($1) ORDER BY email_canonical`,
        [[rows.bucher, rows.composed, rows.dotted, rows.umlaut]],
      );
      expect(found.map((r) => [r.id, r.email, r.email_canonical])).toEqual([
        [rows.bucher, 'ada@bücher.example', 'ada@xn--bcher-kva.example'],
        [rows.dotted, 'İris@old.test', 'i\u0307ris@old.test'],
        [rows.composed, 'jos\u00e9@old.test', 'jos\u00e9@old.test'],
        [rows.umlaut, 'zo\u00eb@old.test', 'zo\u00eb@old.test'],
      ]);
      expect(await db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'uq_users_account_email'`)).toEqual([]);
      const [account] = await db.query(`SELECT account_id FROM users WHERE id = $1`, [rows.bucher]);
      await expect(
        db.query(
          `INSERT INTO users (account_id, email, email_canonical, first_name, last_name, role)
           VALUES ($1, 'ada@xn--bcher-kva.example', 'ada@xn--bcher-kva.example', 'A', 'B', 'user')`,
          [account.account_id],
        ),
      ).rejects.toThrow(/uq_users_account_email_canonical/);
    });
  }, 120_000);
});
