/** A user's role: an `admin` holds every scope in a session and may create PATs; a `user` acts only on itself. */
export type UserRole = 'admin' | 'user';
export const USER_ROLES: readonly UserRole[] = ['admin', 'user'];
