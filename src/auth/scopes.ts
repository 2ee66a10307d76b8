/** Every scope a PAT can hold, `resource:action`. */
export const SCOPES = [
  'account:read',
  'account:write',
  'user:read',
  'user:write',
  'user:resetPasswordToken',
  'personalAccessToken:read',
  'personalAccessToken:write',
  'eventLog:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (s: unknown): s is Scope => typeof s === 'string' && (SCOPES as readonly string[]).includes(s);

/** Scopes that a held scope also grants: `write` implies `read`; `user:write` implies issuing reset tokens. */
const IMPLIES: Partial<Record<Scope, Scope[]>> = {
  'account:write': ['account:read'],
  'user:write': ['user:read', 'user:resetPasswordToken'],
  'personalAccessToken:write': ['personalAccessToken:read'],
};

/** The held scopes with everything they imply. */
export function expandScopes(held: readonly string[]): Set<Scope> {
  const out = new Set<Scope>();
  for (const s of held) {
    if (!isScope(s)) continue;
    out.add(s);
    for (const implied of IMPLIES[s] ?? []) out.add(implied);
  }
  return out;
}

export const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);
