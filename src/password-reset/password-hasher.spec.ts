import { describe, expect, it } from '@jest/globals';
import { ARGON2_OPTIONS, PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  it("hashes with the contract's argon2id parameters: m = 19 MiB, t = 2, p = 1", async () => {
    expect(ARGON2_OPTIONS.algorithm).toBe(2);
    const hasher = new PasswordHasher();
    const phc = await hasher.hash('velvet quasar lantern mosaic 7241');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(phc, 'velvet quasar lantern mosaic 7241')).resolves.toBe(true);
  });
});
