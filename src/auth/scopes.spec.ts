import { describe, expect, it } from '@jest/globals';
import { ALL_SCOPES, expandScopes, grants, isScope, SCOPES, type Scope } from './scopes.js';

/** What each scope grants, by the contract's table: write implies read; user:write also implies reset tokens. */
const EXPECTED: Record<Scope, Scope[]> = {
  'account:read': ['account:read'],
  'account:write': ['account:write', 'account:read'],
  'user:read': ['user:read'],
  'user:write': ['user:write', 'user:read', 'user:resetPasswordToken'],
  'user:resetPasswordToken': ['user:resetPasswordToken'],
  'personalAccessToken:read': ['personalAccessToken:read'],
  'personalAccessToken:write': ['personalAccessToken:write', 'personalAccessToken:read'],
  'eventLog:read': ['eventLog:read'],
};

describe('scopes', () => {
  it('knows exactly the contract’s eight scopes', () => {
    expect([...SCOPES].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(ALL_SCOPES.size).toBe(8);
  });

  it.each(Object.entries(EXPECTED))('%s grants exactly %p', (scope, granted) => {
    expect([...expandScopes([scope])].sort()).toEqual([...granted].sort());
  });

  it('does not let read imply write, nor reset tokens imply reading users', () => {
    expect(grants(['user:read'], 'user:write')).toBe(false);
    expect(grants(['account:read'], 'account:write')).toBe(false);
    expect(grants(['personalAccessToken:read'], 'personalAccessToken:write')).toBe(false);
    expect(grants(['user:resetPasswordToken'], 'user:read')).toBe(false);
    expect(grants(['account:write'], 'user:read')).toBe(false);
  });

  it('grants implied scopes from a list or an expanded set', () => {
    expect(grants(['user:write'], 'user:resetPasswordToken')).toBe(true);
    expect(grants(expandScopes(['personalAccessToken:write']), 'personalAccessToken:read')).toBe(true);
    expect(grants(new Set<Scope>(['eventLog:read']), 'eventLog:read')).toBe(true);
  });

  it('unions several scopes and ignores unknown names', () => {
    expect([...expandScopes(['account:write', 'eventLog:read', 'admin', 'user:*', ''])].sort()).toEqual([
      'account:read',
      'account:write',
      'eventLog:read',
    ]);
    expect(expandScopes([]).size).toBe(0);
  });

  it('recognises scope names exactly', () => {
    expect(isScope('user:read')).toBe(true);
    expect(isScope('User:Read')).toBe(false);
    expect(isScope('user:read ')).toBe(false);
    expect(isScope(1)).toBe(false);
  });
});
