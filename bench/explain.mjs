// EXPLAIN (ANALYZE, BUFFERS) of every statement on the benchmarked paths and of the cleanup job,
// as the service sends them, against a seeded benchmark database. Everything runs in one
// transaction that is rolled back. Prints one line per statement (the plan's access paths) or, with --full, the plans:
// first the plan for these parameter values, then the generic plan, which PostgreSQL caches for a prepared statement
// after five runs and keeps for the life of the connection when it looks no dearer. The generic plan cannot see the
// values, so it is where a skewed column (one large account among many small ones) can lead to a scan.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/latchkey_bench node bench/explain.mjs [--full]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ACCOUNT, ADMIN, hashToken, userEmail, userId } from './common.mjs';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
  },
});
const client = new pg.Client({ connectionString: values['database-url'] });
await client.connect();

const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM users WHERE account_id = $1`, [ACCOUNT.id])).rows;
const now = new Date();
// A user with a live reset token, so that every join of the reset lookup runs.
const [live] = (
  await client.query(
    `SELECT user_id FROM reset_tokens WHERE account_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
      LIMIT 1`,
    [ACCOUNT.id, now],
  )
).rows;
const user = live?.user_id ?? userId(Math.ceil(n / 2));
const [pat] = (
  await client.query(`SELECT token_hash FROM personal_access_tokens WHERE user_id = $1 LIMIT 1`, [ADMIN.id])
).rows;
const [token] = (
  await client.query(
    `SELECT id, token_hash FROM reset_tokens WHERE user_id = $1 ORDER BY (used_at IS NULL AND revoked_at IS NULL) DESC
      LIMIT 1`,
    [user],
  )
).rows;
const patHash = pat?.token_hash ?? hashToken('none');
const tokenHash = token?.token_hash ?? hashToken('none');
const tokenId = token?.id ?? '00000000-0000-4000-8000-000000000000';
const USER_COLUMNS = `"User"."id", "User"."account_id", "User"."email", "User"."first_name", "User"."last_name", "User"."role",
  "User"."company", "User"."locale", "User"."metadata", "User"."created_at", "User"."updated_at", "User"."last_login_at", "User"."password_changed_at"`;

// A function: the inserts need new unique values on each pass.
const statements = () => [
  [
    'all: PAT lookup',
    `SELECT p.id, p.account_id, p.user_id, p.scopes, p.expires_at, u.role
     FROM personal_access_tokens p JOIN users u ON u.id = p.user_id
    WHERE p.token_hash = $1 AND p.revoked_at IS NULL AND (p.expires_at IS NULL OR p.expires_at > $2) AND u.role = 'admin'`,
    [patHash, now],
  ],
  [
    'all: session lookup',
    `SELECT s.id, s.account_id, s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
    [hashToken('none'), now],
  ],
  [
    'read/issue/reset: user by id in account',
    `SELECT ${USER_COLUMNS} FROM "users" "User"
    WHERE (("User"."id" = $1) AND ("User"."account_id" = $2)) LIMIT 1`,
    [user, ACCOUNT.id],
  ],
  [
    'issue/reset: account by id',
    `SELECT * FROM "accounts" "Account" WHERE (("Account"."id" = $1)) LIMIT 1`,
    [ACCOUNT.id],
  ],
  [
    'issue/reset: email templates',
    `SELECT * FROM "email_templates" "EmailTemplate"
    WHERE (("EmailTemplate"."account_id" = $1) AND ("EmailTemplate"."event" = $2))`,
    [ACCOUNT.id, 'user.reset-password-request'],
  ],
  ['issue: lock user', `SELECT role FROM users WHERE id = $1 AND account_id = $2 FOR UPDATE`, [user, ACCOUNT.id]],
  [
    'issue/reset: revoke live tokens',
    `UPDATE reset_tokens SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
    [user, now],
  ],
  [
    'issue: insert token',
    `INSERT INTO reset_tokens (account_id, user_id, token_hash, origin, created_by_type, created_by_id, created_at, expires_at)
    VALUES ($1, $2, $3, 'api', 'personalAccessToken', NULL, $4, $5) RETURNING id`,
    [ACCOUNT.id, user, hashToken(`x${Date.now()}-${Math.random()}`), now, now],
  ],
  [
    'all writes: insert event',
    `INSERT INTO event_logs (account_id, action, actor_type, actor_id, target_user_id, ip, user_agent, data, created_at)
    VALUES ($1, 'bench', 'anonymous', NULL, $2, NULL, NULL, '{}', $3) RETURNING id`,
    [ACCOUNT.id, user, now],
  ],
  [
    'reset: find live token',
    `SELECT t.id, t.account_id, t.user_id, t.origin, t.expires_at
       FROM reset_tokens t JOIN users u ON u.id = t.user_id AND u.account_id = t.account_id
      WHERE t.token_hash = $1 AND t.user_id = $2
        AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > $3
        AND (t.origin <> 'api' OR u.role = 'user')`,
    [tokenHash, user, now],
  ],
  [
    'reset: consume token',
    `UPDATE reset_tokens SET used_at = $2
    WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING id, origin`,
    [tokenId, now],
  ],
  [
    'reset: set password',
    `UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1`,
    [user, 'x', now],
  ],
  [
    'reset: revoke sessions',
    `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3)`,
    [user, now, null],
  ],
  [
    'reset: insert outbox',
    `INSERT INTO outbox (id, kind, payload, account_id, status, attempts, next_attempt_at, created_at)
    VALUES (gen_random_uuid(), 'email', '{}', $1, 'pending', 0, $2, $2)`,
    [ACCOUNT.id, now],
  ],
  [
    'login: find user',
    `SELECT u.id, u.account_id, a.id AS account_exists, u.password_hash
     FROM accounts a LEFT JOIN users u ON u.account_id = a.id AND u.email_canonical = $2 WHERE a.alias = $1`,
    [ACCOUNT.alias, userEmail(7)],
  ],
  [
    'login: insert session',
    `INSERT INTO sessions (account_id, user_id, token_hash, expires_at, ip, user_agent, created_at)
    VALUES ($1, $2, $3, $4, NULL, NULL, $4) RETURNING id`,
    [ACCOUNT.id, user, hashToken(`s${Date.now()}-${Math.random()}`), now],
  ],
  ['login: last login', `UPDATE users SET last_login_at = $2 WHERE id = $1`, [user, now]],
  [
    'PAT lastUsedAt flush',
    `UPDATE personal_access_tokens p SET last_used_at = v.t FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
    WHERE p.id = v.id AND (p.last_used_at IS NULL OR p.last_used_at < v.t)`,
    [[ADMIN.id], [now]],
  ],
  ...['expires_at', 'used_at', 'revoked_at'].map((column) => [
    `cleanup: reset tokens by ${column}`,
    `DELETE FROM reset_tokens WHERE id IN (SELECT id FROM reset_tokens WHERE ${column} < $1 LIMIT $2)`,
    [new Date(now.getTime() - 86_400_000), 5000],
  ]),
  ...['expires_at', 'revoked_at'].map((column) => [
    `cleanup: sessions by ${column}`,
    `DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE ${column} < $1 LIMIT $2)`,
    [new Date(now.getTime() - 86_400_000), 5000],
  ]),
];

console.log(
  `${n} users, ${(await client.query('SELECT count(*)::int AS n FROM reset_tokens')).rows[0].n} reset tokens\n`,
);
/** A parameter as an SQL literal, for EXECUTE (which takes no bind parameters inside EXPLAIN). */
function literal(value) {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`;
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (Array.isArray(value)) {
    const items = value.map((v) => `"${v instanceof Date ? v.toISOString() : String(v)}"`);
    return client.escapeLiteral(`{${items.join(',')}}`);
  }
  if (typeof value === 'number') return String(value);
  return client.escapeLiteral(String(value));
}

/** The plan of `sql` for `params`: as a one-off statement, or (generic) as the plan a connection caches. */
async function explain(sql, params, generic) {
  if (!generic) return client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  await client.query('DEALLOCATE ALL');
  await client.query(`PREPARE statement AS ${sql}`);
  return client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE statement(${params.map(literal).join(', ')})`);
}

// One transaction in the order the paths run (a token is revoked before one is inserted), rolled back.
await client.query('BEGIN');
for (const generic of [false, true]) {
  console.log(generic ? '\ngeneric plans (cached by a connection):' : 'plans for these values:');
  await client.query(`SET LOCAL plan_cache_mode = ${generic ? 'force_generic_plan' : 'auto'}`);
  for (const [label, sql, params] of statements()) {
    await client.query('SAVEPOINT statement');
    try {
      const { rows } = await explain(sql, params, generic);
      const plan = rows.map((r) => r['QUERY PLAN']);
      const paths = plan
        .map((l) =>
          /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan|Bitmap Heap Scan)(?: using (\S+))? on (\S+)/.exec(l),
        )
        .filter(Boolean)
        .map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''} on ${m[3]}`);
      const time = plan.find((l) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '');
      console.log(
        `${label.padEnd(40)} ${(time ?? '').padStart(10)}  ${paths.length ? [...new Set(paths)].join('; ') : '(no table scan)'}`,
      );
      if (values.full) console.log(`${plan.map((l) => `    ${l}`).join('\n')}\n`);
      await client.query('RELEASE SAVEPOINT statement');
    } catch (err) {
      console.log(`${label.padEnd(40)} failed: ${err.message}`);
      await client.query('ROLLBACK TO SAVEPOINT statement');
    }
  }
}
await client.query('ROLLBACK');
await client.end();
