// Loads the benchmark's data straight into PostgreSQL with generate_series (no HTTP): the benchmark
// account, its admin, N users of role `user` sharing one argon2id hash, M reset-token rows in the
// mix a running service leaves behind (a quarter live, the rest expired, used or revoked within the
// day, which the periodic cleanup keeps), N/10 sessions likewise, and N/1000 (at least 1,000) other
// tenants, each with an admin and a PAT, so that no table is small enough for the planner to
// prefer a sequential scan. That includes the plans PostgreSQL caches per connection for the
// foreign-key checks of every insert: planned while `accounts` held 11 rows, they scan it whole
// for as long as the connection lives, however large sign-ups make it. Runs the service's own migrations first (needs `npm run build`).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/latchkey_bench node bench/seed.mjs --users 1000000 --reset-tokens 1000000
import 'reflect-metadata';
import { hash } from '@node-rs/argon2';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ACCOUNT, ADMIN, ARGON2_OPTIONS, PASSWORD } from './common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Rows per INSERT … SELECT: big enough to be fast, small enough to report progress. */
const CHUNK = 100_000;

/** Applies the service's pending migrations, exactly as the service does at start-up (from dist/). */
export async function ensureSchema(databaseUrl) {
  const dist = (p) => pathToFileURL(path.join(ROOT, 'dist', p)).href;
  const { AppConfig } = await import(dist('src/config/app-config.js'));
  const { buildDataSourceOptions } = await import(dist('src/database/database.options.js'));
  const { runMigrationsLocked } = await import(dist('src/database/migrate.js'));
  const { DataSource } = await import('typeorm');
  const dataSource = await new DataSource(
    buildDataSourceOptions(new AppConfig({ DATABASE_URL: databaseUrl })),
  ).initialize();
  try {
    await runMigrationsLocked(dataSource, false);
  } finally {
    await dataSource.destroy();
  }
}

/** Replaces every row of the database with the benchmark's data set. */
export async function seed(databaseUrl, { users, resetTokens = 0, log = () => {} }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = Date.now();
    const passwordHash = await hash(PASSWORD, ARGON2_OPTIONS);
    const now = new Date();
    await client.query(
      `TRUNCATE accounts, users, sessions, personal_access_tokens, reset_tokens, event_logs, email_templates, outbox,
        webhooks, webhook_deliveries`,
    );
    await client.query(`INSERT INTO accounts (id, name, alias, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, [
      ACCOUNT.id,
      ACCOUNT.name,
      ACCOUNT.alias,
      now,
    ]);
    await client.query(
      // Every seeded email is lower-case ASCII, hence its own canonical form (src/common/identifiers.ts).
      `INSERT INTO users (id, account_id, email, email_canonical, first_name, last_name, role, password_hash, created_at, updated_at, password_changed_at)
       VALUES ($1, $2, $3, $3, 'Ada', 'Admin', 'admin', $4, $5, $5, $5)`,
      [ADMIN.id, ACCOUNT.id, ADMIN.email, passwordHash, now],
    );
    const tenants = Math.max(1000, Math.floor(users / 1000));
    await client.query(
      `INSERT INTO accounts (id, name, alias, created_at, updated_at)
       SELECT md5('lk-bench-tenant-' || k)::uuid, 'Tenant ' || k, 'tenant-' || k, $2, $2 FROM generate_series(1, $1) AS k`,
      [tenants, now],
    );
    await client.query(
      `INSERT INTO users (id, account_id, email, email_canonical, first_name, last_name, role, password_hash, created_at, updated_at, password_changed_at)
       SELECT md5('lk-bench-tenant-admin-' || k)::uuid, md5('lk-bench-tenant-' || k)::uuid, 'admin@tenant-' || k || '.example.com',
              'admin@tenant-' || k || '.example.com', 'Ada', 'Admin', 'admin', $2, $3, $3, $3
         FROM generate_series(1, $1) AS k`,
      [tenants, passwordHash, now],
    );
    await client.query(
      `INSERT INTO personal_access_tokens (account_id, user_id, name, scopes, token_hash, token_hint, created_at)
       SELECT md5('lk-bench-tenant-' || k)::uuid, md5('lk-bench-tenant-admin-' || k)::uuid, 'integration', '{user:read}',
              sha256(convert_to('lk-bench-seed-pat-' || k, 'UTF8')), 'xxxx', $2
         FROM generate_series(1, $1) AS k`,
      [tenants, now],
    );
    log(`${tenants} other tenants, each with an admin and a PAT`);
    for (let from = 1; from <= users; from += CHUNK) {
      const to = Math.min(users, from + CHUNK - 1);
      await client.query(
        `INSERT INTO users (id, account_id, email, email_canonical, first_name, last_name, role, password_hash, created_at, updated_at, password_changed_at)
         SELECT md5('lk-bench-user-' || g)::uuid, $1, 'u' || g || '@bench.example.com', 'u' || g || '@bench.example.com', 'Bench', 'Person' || g, 'user', $2,
                t, t, t
           FROM generate_series($3::int, $4::int) AS g, LATERAL (SELECT $5::timestamptz - make_interval(secs => g)) AS c(t)`,
        [ACCOUNT.id, passwordHash, from, to, now],
      );
      log(`users ${to}/${users}`);
    }
    for (let from = 1; from <= resetTokens; from += CHUNK) {
      const to = Math.min(resetTokens, from + CHUNK - 1);
      // State by row: 0 live, 1 expired, 2 used, 3 revoked; a user has at most one live (unused,
      // unrevoked) token, so rows beyond one per user are only used or revoked.
      await client.query(
        `INSERT INTO reset_tokens (account_id, user_id, token_hash, origin, created_by_type, created_at, expires_at, used_at, revoked_at)
         SELECT $1, md5('lk-bench-user-' || ((g - 1) % $2 + 1))::uuid,
                sha256(convert_to('lk-bench-seed-token-' || g, 'UTF8')),
                CASE WHEN g % 2 = 0 THEN 'api' ELSE 'email' END,
                CASE WHEN g % 2 = 0 THEN 'personalAccessToken' ELSE 'anonymous' END,
                $5::timestamptz - make_interval(mins => 10 + 60 * s),
                $5::timestamptz + make_interval(mins => 50 - 60 * s),
                CASE WHEN s = 2 THEN $5::timestamptz - make_interval(mins => 5 + 60 * s) END,
                CASE WHEN s = 3 THEN $5::timestamptz - make_interval(mins => 5 + 60 * s) END
           FROM generate_series($3::int, $4::int) AS g,
                LATERAL (SELECT CASE WHEN g <= $2 THEN g % 4 ELSE 2 + g % 2 END) AS st(s)`,
        [ACCOUNT.id, users, from, to, now],
      );
      log(`reset tokens ${to}/${resetTokens}`);
    }
    // Sessions of the login mix: a third live, a third expired within the hour, a third revoked.
    const sessions = Math.floor(users / 10);
    for (let from = 1; from <= sessions; from += CHUNK) {
      const to = Math.min(sessions, from + CHUNK - 1);
      await client.query(
        `INSERT INTO sessions (account_id, user_id, token_hash, created_at, expires_at, revoked_at)
         SELECT $1, md5('lk-bench-user-' || ((g - 1) % $2 + 1))::uuid, sha256(convert_to('lk-bench-seed-session-' || g, 'UTF8')),
                $5::timestamptz - interval '12 hours',
                CASE WHEN g % 3 = 1 THEN $5::timestamptz - interval '1 hour' ELSE $5::timestamptz + interval '12 hours' END,
                CASE WHEN g % 3 = 2 THEN $5::timestamptz - interval '2 hours' END
           FROM generate_series($3::int, $4::int) AS g`,
        [ACCOUNT.id, users, from, to, now],
      );
    }
    log(`${sessions} sessions`);
    await client.query(`VACUUM (ANALYZE) accounts, users, reset_tokens, sessions, personal_access_tokens, event_logs`);
    log(`seeded ${users} users and ${resetTokens} reset tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '1000000' },
      'reset-tokens': { type: 'string', default: '1000000' },
      'database-url': { type: 'string', default: process.env.DATABASE_URL },
    },
  });
  if (!values['database-url']) {
    console.error('DATABASE_URL (or --database-url) must name the PostgreSQL database to load');
    process.exit(2);
  }
  await ensureSchema(values['database-url']);
  await seed(values['database-url'], {
    users: Number(values.users),
    resetTokens: Number(values['reset-tokens']),
    log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  });
}
