import type { Principal } from './principal.js';

/**
 * What the guard needs of the module that owns the credentials: a bearer token in, a principal (or null) out. The
 * access-tokens module provides it (`AuthModule.withCredentials(AccessTokensModule)`), so auth depends on nothing above it.
 */
export abstract class CredentialResolver {
  abstract resolve(token: string): Promise<Principal | null>;
}
