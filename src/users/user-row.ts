import type { UserRole } from '../auth/roles.js';
import { User } from './user.entity.js';

/** A `users` row as `USER_COLUMNS` selects it: every column but the password hash. */
export interface UserRow {
  id: string;
  account_id: string;
  email: string;
  email_canonical: string;
  first_name: string;
  last_name: string;
  role: UserRole;
  company: string | null;
  locale: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  password_changed_at: Date | null;
}

/** The user columns an entity load selects (never password_hash), for plain SQL on hot paths. */
export const USER_COLUMNS = `u.id, u.account_id, u.email, u.email_canonical, u.first_name, u.last_name, u.role, u.company, u.locale,
       u.metadata, u.created_at, u.updated_at, u.last_login_at, u.password_changed_at`;

const dateOrNull = (d: Date | null) => (d === null ? null : new Date(d));

/** The entity TypeORM would hydrate from this row (password hash left unloaded, as `select: false` does). */
export function userFromRow(r: UserRow): User {
  return Object.assign(new User(), {
    id: r.id,
    accountId: r.account_id,
    email: r.email,
    emailCanonical: r.email_canonical,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role,
    company: r.company,
    locale: r.locale,
    metadata: r.metadata,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    lastLoginAt: dateOrNull(r.last_login_at),
    passwordChangedAt: dateOrNull(r.password_changed_at),
  });
}

/**
 * The user columns the reset routes read (issuance, reset-password): the role, and what a link or an email names.
 * Each column more costs the event loop its parsing on these measured hot paths.
 */
export const USER_BRIEF_COLUMNS = 'u.id, u.account_id, u.email, u.first_name, u.last_name, u.role, u.locale';

/** What USER_BRIEF_COLUMNS reads. */
export type UserBrief = Pick<User, 'id' | 'accountId' | 'email' | 'firstName' | 'lastName' | 'role' | 'locale'>;

export function userBriefFromRow(
  r: Pick<UserRow, 'id' | 'account_id' | 'email' | 'first_name' | 'last_name' | 'role' | 'locale'>,
): UserBrief {
  return {
    id: r.id,
    accountId: r.account_id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role,
    locale: r.locale,
  } satisfies Record<keyof UserBrief, unknown>;
}
