import { Account } from './account.entity.js';

/**
 * The account columns, prefixed `a_`, for the one hot-path statement that reads an account next to another table's
 * row (UsersService.findWithAccount); its alias for `accounts` must be `a`. Kept beside the entity, so a new column is
 * added here too.
 */
export const ACCOUNT_COLUMNS_AS_A = `a.name AS a_name, a.alias AS a_alias,
              a.reset_token_ttl_seconds AS a_reset_token_ttl_seconds,
              a.reset_token_max_ttl_seconds AS a_reset_token_max_ttl_seconds,
              a.allowed_redirect_hosts AS a_allowed_redirect_hosts, a.min_password_length AS a_min_password_length,
              a.notify_on_password_change AS a_notify_on_password_change,
              a.created_at AS a_created_at, a.updated_at AS a_updated_at`;

/** An `accounts` row as ACCOUNT_COLUMNS_AS_A selects it. */
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
 * The entity TypeORM would hydrate from that row and the account's id (the joined row has it already); `satisfies`
 * makes the compiler check that no column is left out.
 */
export function accountFromRow(id: string, r: AccountRowAsA): Account {
  return Object.assign(new Account(), {
    id,
    name: r.a_name,
    alias: r.a_alias,
    resetTokenTtlSeconds: r.a_reset_token_ttl_seconds,
    resetTokenMaxTtlSeconds: r.a_reset_token_max_ttl_seconds,
    allowedRedirectHosts: r.a_allowed_redirect_hosts,
    minPasswordLength: r.a_min_password_length,
    notifyOnPasswordChange: r.a_notify_on_password_change,
    createdAt: new Date(r.a_created_at),
    updatedAt: new Date(r.a_updated_at),
  } satisfies Record<keyof Account, unknown>);
}

/**
 * The account columns reset-token issuance reads (UsersService.withAccount), prefixed `a_`: its lifetimes, and what
 * the link and the email read (MailAccount). Fewer columns than ACCOUNT_COLUMNS_AS_A on a measured hot path.
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
