import type { EntityManager } from 'typeorm';
import type { UserRecord } from '../users/dto/user-response.dto.js';

/** The first admin that sign-up creates with the account. */
export interface FirstAdmin {
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash: string;
  now: Date;
}

/** What login reads for an alias and a canonical email; `userId` is null when the email names nobody there. */
export interface LoginCandidate {
  accountId: string;
  userId: string | null;
  passwordHash: string | null;
}

/**
 * What sign-up and login need of the account's users. The users module owns the table and sits above accounts (it
 * calls AccountsService), so it implements this and registers itself (AccountsService.registerMembers) at start-up.
 */
export interface AccountMembers {
  /** Inserts the account's first admin in `manager`'s transaction. */
  createFirstAdmin(admin: FirstAdmin, manager: EntityManager): Promise<UserRecord>;
  /** The account with this alias and its user with this canonical email, in one statement; undefined: no such alias. */
  findLoginCandidate(alias: string, emailCanonical: string): Promise<LoginCandidate | undefined>;
  /**
   * Stamps the user's last login in `manager`'s transaction and locks the row; false when the user is gone or its hash
   * is no longer `passwordHash`, the one the login was checked against.
   */
  recordLogin(userId: string, passwordHash: string, at: Date, manager: EntityManager): Promise<boolean>;
}
