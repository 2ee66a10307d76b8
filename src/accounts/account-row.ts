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
