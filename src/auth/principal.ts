import type { UserRole } from './roles.js';
import type { Scope } from './scopes.js';

/** Who is calling: resolved once per request from the bearer token. */
export interface Principal {
  kind: 'session' | 'pat';
  accountId: string;
  /** The session's user, or the admin a PAT acts for. */
  userId: string;
  role: UserRole;
  /** Effective scopes with implications expanded: all for an admin session, none for a user session. */
  scopes: ReadonlySet<Scope>;
  /** The session's or the PAT's id. */
  tokenId: string;
  /** For a PAT: when it expires (a PAT it makes may not outlive it). */
  expiresAt: Date | null;
}

export const isAdminSession = (p: Principal) => p.kind === 'session' && p.role === 'admin';
export const isSelf = (p: Principal, userId: string) => p.kind === 'session' && p.userId === userId;

/** The event-log and `createdBy` view of a principal. */
export const actorOf = (p: Principal) =>
  p.kind === 'pat'
    ? ({ type: 'personalAccessToken', id: p.tokenId } as const)
    : ({ type: 'user', id: p.userId } as const);
