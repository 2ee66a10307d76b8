import type { Account } from '../account.entity.js';

/** An account with its settings at the top level. */
export class AccountResponseDto {
  id: string;
  name: string;
  /** Unique lower-case slug used at login. */
  alias: string;
  createdAt: string;
  updatedAt: string;
  /** Default lifetime of a reset token, in seconds. */
  resetTokenTtlSeconds: number;
  /** Longest lifetime a caller may ask for, in seconds (at most 604800). */
  resetTokenMaxTtlSeconds: number;
  /** Hosts that email-template reset links may point to. */
  allowedRedirectHosts: string[];
  /** Minimum password length in code points (8–64). */
  minPasswordLength: number;
  /** Email users when their password changes (always done when the reset token came through the API). */
  notifyOnPasswordChange: boolean;

  static from(a: Account): AccountResponseDto {
    return Object.assign(new AccountResponseDto(), {
      id: a.id,
      name: a.name,
      alias: a.alias,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      resetTokenTtlSeconds: a.resetTokenTtlSeconds,
      resetTokenMaxTtlSeconds: a.resetTokenMaxTtlSeconds,
      allowedRedirectHosts: a.allowedRedirectHosts,
      minPasswordLength: a.minPasswordLength,
      notifyOnPasswordChange: a.notifyOnPasswordChange,
    });
  }
}
