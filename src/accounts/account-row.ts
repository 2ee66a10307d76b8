import { Account } from './account.entity.js';

/**
 * The account columns the reset routes read next to their user (UsersService's issuance and reset-password reads),
 * prefixed `a_` (their alias for `accounts` must be `a`): the token lifetimes, the password policy's minimum, the
 * notification switch, and what a link or an email reads (MailAccount). No timestamps: each column more costs the
 * event loop its parsing on these measured hot paths. Kept beside the entity.
 */
export const ACCOUNT_BRIEF_COLUMNS_AS_A = `a.name AS a_name, a.reset_token_ttl_seconds AS a_reset_token_ttl_seconds,
              a.reset_token_max_ttl_seconds AS a_reset_token_max_ttl_seconds,
              a.allowed_redirect_hosts AS a_allowed_redirect_hosts, a.min_password_length AS a_min_password_length,
              a.notify_on_password_change AS a_notify_on_password_change`;

/** An `accounts` row as ACCOUNT_BRIEF_COLUMNS_AS_A selects it. */
export interface AccountBriefRowAsA {
  a_name: string;
  a_reset_token_ttl_seconds: number;
  a_reset_token_max_ttl_seconds: number;
  a_allowed_redirect_hosts: string[];
  a_min_password_length: number;
  a_notify_on_password_change: boolean;
}

/** What ACCOUNT_BRIEF_COLUMNS_AS_A reads, with the account's id. */
export type AccountBrief = Pick<
  Account,
  | 'id'
  | 'name'
  | 'resetTokenTtlSeconds'
  | 'resetTokenMaxTtlSeconds'
  | 'allowedRedirectHosts'
  | 'minPasswordLength'
  | 'notifyOnPasswordChange'
>;

/** The account's fields from that row and its id (the joined row has it already). */
export function accountBriefFromRow(id: string, r: AccountBriefRowAsA): AccountBrief {
  return {
    id,
    name: r.a_name,
    resetTokenTtlSeconds: r.a_reset_token_ttl_seconds,
    resetTokenMaxTtlSeconds: r.a_reset_token_max_ttl_seconds,
    allowedRedirectHosts: r.a_allowed_redirect_hosts,
    minPasswordLength: r.a_min_password_length,
    notifyOnPasswordChange: r.a_notify_on_password_change,
  } satisfies Record<keyof AccountBrief, unknown>;
}

/** Every `accounts` column, for plain SQL that returns a whole account (sign-up's INSERT … RETURNING). */
export const ACCOUNT_COLUMNS = `id, name, alias, reset_token_ttl_seconds, reset_token_max_ttl_seconds, allowed_redirect_hosts,
       min_password_length, notify_on_password_change, created_at, updated_at`;

/** An `accounts` row as ACCOUNT_COLUMNS selects it. */
export interface AccountRow {
  id: string;
  name: string;
  alias: string;
  reset_token_ttl_seconds: number;
  reset_token_max_ttl_seconds: number;
  allowed_redirect_hosts: string[];
  min_password_length: number;
  notify_on_password_change: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The entity TypeORM would hydrate from this row. */
export function accountFromRow(r: AccountRow): Account {
  return Object.assign(new Account(), {
    id: r.id,
    name: r.name,
    alias: r.alias,
    resetTokenTtlSeconds: r.reset_token_ttl_seconds,
    resetTokenMaxTtlSeconds: r.reset_token_max_ttl_seconds,
    allowedRedirectHosts: r.allowed_redirect_hosts,
    minPasswordLength: r.min_password_length,
    notifyOnPasswordChange: r.notify_on_password_change,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  } satisfies Record<keyof Account, unknown>);
}
