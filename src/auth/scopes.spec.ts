import { describe, expect, it } from '@jest/globals';
import { ALL_SCOPES, expandScopes, isScope, SCOPES, type Scope } from './scopes.js';

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
    expect(expandScopes(['user:read']).has('user:write')).toBe(false);
    expect(expandScopes(['account:read']).has('account:write')).toBe(false);
    expect(expandScopes(['personalAccessToken:read']).has('personalAccessToken:write')).toBe(false);
    expect(expandScopes(['user:resetPasswordToken']).has('user:read')).toBe(false);
    expect(expandScopes(['account:write']).has('user:read')).toBe(false);
  });

  it('expands a scope to the ones it implies', () => {
    expect(expandScopes(['user:write']).has('user:resetPasswordToken')).toBe(true);
    expect(expandScopes(['personalAccessToken:write']).has('personalAccessToken:read')).toBe(true);
    expect(expandScopes(['eventLog:read']).has('eventLog:read')).toBe(true);
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
