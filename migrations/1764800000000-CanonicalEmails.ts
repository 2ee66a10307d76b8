import type { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalEmail, IdentifierError, storedEmail } from '../src/common/identifiers.js';

/** Users read and written per round trip while the column is filled. */
const BATCH = 5_000;
/** Problem rows named in the refusal; the count of the rest follows. */
const MAX_LISTED = 50;

/** An email as an operator can read it: invisible and combining characters spelled out. */
const shown = (email: string) =>
  JSON.stringify(email).replace(
    /[\p{Cc}\p{Cf}\p{M}]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );

interface UserEmail {
  id: string;
  account_id: string;
  email: string;
}

/**
 * `users.email_canonical`: the service's one canonical email form (src/common/identifiers.ts),
 * computed here by the same JavaScript function the service uses — never SQL lower(), which
 * disagrees with it on `İ` — and unique per account in place of `lower(email)`. Stored emails are
 * brought to their stored form (ASCII-trimmed, NFC) on the way. When existing rows collide under
 * the new form, or an email has no canonical form (control or format characters, a domain UTS #46
 * refuses), the migration refuses, listing the rows, and changes nothing: which user keeps the
 * address is a decision for the operator, not for a migration.
 */
export class CanonicalEmails1764800000000 implements MigrationInterface {
  name = 'CanonicalEmails1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN email_canonical text`);
    await q.query(`DROP INDEX uq_users_account_email`);
    const invalid: string[] = [];
    // Emails whose stored form differs (untrimmed, not NFC): rare, rewritten once nothing collides.
    const restored: { ids: string[]; emails: string[] } = { ids: [], emails: [] };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: UserEmail[] = await q.query(
        `SELECT id, account_id, email FROM users WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const ids: string[] = [];
      const canonical: string[] = [];
      for (const row of rows) {
        try {
          canonical.push(canonicalEmail(row.email));
          ids.push(row.id);
          const stored = storedEmail(row.email);
          if (stored !== row.email) {
            restored.ids.push(row.id);
            restored.emails.push(stored);
          }
        } catch (err) {
          if (!(err instanceof IdentifierError)) throw err;
          invalid.push(`  account ${row.account_id}, user ${row.id}: ${shown(row.email)} (${err.message})`);
        }
      }
      if (ids.length > 0) {
        await q.query(
          `UPDATE users u SET email_canonical = v.canonical
             FROM unnest($1::uuid[], $2::text[]) AS v(id, canonical)
            WHERE u.id = v.id`,
          [ids, canonical],
        );
      }
    }

    const collisions: { account_id: string; email_canonical: string; ids: string[]; emails: string[] }[] =
      await q.query(
        `SELECT account_id, email_canonical,
                array_agg(id::text ORDER BY created_at, id) AS ids, array_agg(email ORDER BY created_at, id) AS emails
           FROM users WHERE email_canonical IS NOT NULL
          GROUP BY account_id, email_canonical HAVING count(*) > 1
          ORDER BY account_id, email_canonical`,
      );
    if (invalid.length > 0 || collisions.length > 0) {
      const lines = [
        ...collisions.map(
          (c) =>
            `  account ${c.account_id}: ${c.ids.map((id, i) => `user ${id} ${shown(c.emails[i])}`).join(', ')} ` +
            `are all ${shown(c.email_canonical)}`,
        ),
        ...invalid,
      ];
      const listed = lines.slice(0, MAX_LISTED);
      if (lines.length > listed.length) listed.push(`  … and ${lines.length - listed.length} more`);
      throw new Error(
        `Cannot start: ${collisions.length} group(s) of users share one canonical email and ` +
          `${invalid.length} email(s) have no canonical form (control or format characters, or a domain ` +
          `UTS #46 refuses). Give each of these users a distinct, valid email (or delete the duplicates), ` +
          `then start again; nothing was changed:\n${listed.join('\n')}`,
      );
    }

    if (restored.ids.length > 0) {
      await q.query(
        `UPDATE users u SET email = v.email FROM unnest($1::uuid[], $2::text[]) AS v(id, email) WHERE u.id = v.id`,
        [restored.ids, restored.emails],
      );
    }
    await q.query(`ALTER TABLE users ALTER COLUMN email_canonical SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX uq_users_account_email_canonical ON users (account_id, email_canonical)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS uq_users_account_email_canonical`);
    await q.query(`CREATE UNIQUE INDEX uq_users_account_email ON users (account_id, lower(email))`);
    await q.query(`ALTER TABLE users DROP COLUMN email_canonical`);
  }
}
