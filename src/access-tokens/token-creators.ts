import type { EntityManager } from 'typeorm';
import type { UserRole } from '../auth/roles.js';

/**
 * What creating a personal access token needs of its creator's user row. The users module owns the table and sits
 * above access tokens (a demotion revokes the demoted admin's tokens), so it implements this and registers itself
 * (PersonalAccessTokensService.registerCreators) at start-up.
 */
export interface TokenCreators {
  /**
   * The user's role, read under a share lock held until `manager`'s transaction ends: a demotion or a deletion of the
   * user (which lock the row for update) waits for the transaction, or the transaction for it and then reads its
   * outcome. Null when the user is not in this account any more.
   */
  roleUnderShareLock(userId: string, accountId: string, manager: EntityManager): Promise<UserRole | null>;
}
