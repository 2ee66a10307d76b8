import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { redactSecrets, redactUrlPath } from './redaction.js';

describe('redactSecrets', () => {
  it('replaces tokens and webhook secrets, and keeps the rest', () => {
    // Shaped as webhooks/signing.ts and auth/token-format.ts make them (common imports neither).
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const token = 'lk_pat_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT';
    const line = redactSecrets(`signing with ${secret}, then ${token}; done`);
    expect(line).toBe('signing with [redacted], then [redacted]; done');
  });

  it('leaves a text without secrets as it is', () => {
    expect(redactSecrets('whsec alone, lk_ alone')).toBe('whsec alone, lk_ alone');
  });
});

describe('redactUrlPath', () => {
  // Shaped as auth/token-format.ts makes it (common does not import it).
  const token = 'lk_pat_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT';

  it('redacts a token in a path segment and keeps the rest', () => {
    expect(redactUrlPath(`/v3/users/${token}/access-tokens`)).toBe('/v3/users/[redacted]/access-tokens');
  });

  it('redacts a token the client percent-encoded, and escapes what is not printable again', () => {
    const escaped = token.replace(/_/g, '%5F').replace('k', '%6b');
    expect(redactUrlPath(`/v3/a%20b/${escaped}%0A`)).toBe('/v3/a%20b/[redacted]%0A');
  });

  it('leaves a path without secrets as it is, escapes included', () => {
    expect(redactUrlPath('/v3/users/a%20b/%E2%82%AC')).toBe('/v3/users/a%20b/%E2%82%AC');
    expect(redactUrlPath('/v3/users/lk_%zz')).toBe('/v3/users/lk_%zz');
  });
});
