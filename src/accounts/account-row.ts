import { Account } from './account.entity.js';

/**
 * An `accounts` row as the hot-path statements that read an account next to a user select it: each column prefixed
 * `a_` (their alias for `accounts` must be `a`). Kept beside the entity, so a new column is added here too.
 */
export interface AccountRowAsA {
  a_name: string;
  a_alias: string;
  a_reset_token_ttl_seconds: number;
  a_reset_token_max_ttl_seconds: number;
  a_allowed_redirect_hosts: string[];
  a_min_password_length: number;
  a_notify_on_password_change: boolean;
  a_created_at: Date;
  a_updated_at: Date;
}

/**
 * The account columns reset-token issuance reads (UsersService.withAccount), prefixed `a_`: its lifetimes, and what
 * the link and the email read (MailAccount). Each column more costs the event loop its parsing on
 * this measured hot path.
 */
export const ISSUING_ACCOUNT_COLUMNS_AS_A = `a.name AS a_name, a.reset_token_ttl_seconds AS a_reset_token_ttl_seconds,
              a.reset_token_max_ttl_seconds AS a_reset_token_max_ttl_seconds,
              a.allowed_redirect_hosts AS a_allowed_redirect_hosts`;

/** What ISSUING_ACCOUNT_COLUMNS_AS_A reads, with the account's id. */
export type IssuingAccount = Pick<
  Account,
  'id' | 'name' | 'resetTokenTtlSeconds' | 'resetTokenMaxTtlSeconds' | 'allowedRedirectHosts'
>;

export function issuingAccountFromRow(
  id: string,
  r: Pick<
    AccountRowAsA,
    'a_name' | 'a_reset_token_ttl_seconds' | 'a_reset_token_max_ttl_seconds' | 'a_allowed_redirect_hosts'
  >,
): IssuingAccount {
  return {
    id,
    name: r.a_name,
    resetTokenTtlSeconds: r.a_reset_token_ttl_seconds,
    resetTokenMaxTtlSeconds: r.a_reset_token_max_ttl_seconds,
    allowedRedirectHosts: r.a_allowed_redirect_hosts,
  } satisfies Record<keyof IssuingAccount, unknown>;
}

/**
 * The account columns reset-password reads (UsersService.withAccountAndPasswordChangedTemplates), prefixed `a_`:
 * the password policy's, the notification switch, and what the email reads (MailAccount).
 */
export const PASSWORD_ACCOUNT_COLUMNS_AS_A = `a.name AS a_name, a.min_password_length AS a_min_password_length,
              a.notify_on_password_change AS a_notify_on_password_change,
              a.reset_token_ttl_seconds AS a_reset_token_ttl_seconds,
              a.allowed_redirect_hosts AS a_allowed_redirect_hosts`;

/** What PASSWORD_ACCOUNT_COLUMNS_AS_A reads, with the account's id. */
export type PasswordAccount = Pick<
  Account,
  'id' | 'name' | 'minPasswordLength' | 'notifyOnPasswordChange' | 'resetTokenTtlSeconds' | 'allowedRedirectHosts'
>;

export function passwordAccountFromRow(
  id: string,
  r: Pick<
    AccountRowAsA,
    | 'a_name'
    | 'a_min_password_length'
    | 'a_notify_on_password_change'
    | 'a_reset_token_ttl_seconds'
    | 'a_allowed_redirect_hosts'
  >,
): PasswordAccount {
  return {
    id,
    name: r.a_name,
    minPasswordLength: r.a_min_password_length,
    notifyOnPasswordChange: r.a_notify_on_password_change,
    resetTokenTtlSeconds: r.a_reset_token_ttl_seconds,
    allowedRedirectHosts: r.a_allowed_redirect_hosts,
  } satisfies Record<keyof PasswordAccount, unknown>;
}
