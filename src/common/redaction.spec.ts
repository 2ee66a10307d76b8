import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { redactSecrets } from './redaction.js';

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
