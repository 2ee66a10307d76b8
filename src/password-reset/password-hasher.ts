import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { isProcessablePassword } from './password-policy.service.js';

/** OWASP's argon2id floor: m = 19 MiB, t = 2, p = 1. Hashing runs on libuv's pool, off the event loop. */
export const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the user is unknown, so both paths cost one argon2id verification. */
  private dummyHash!: string;

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hash('latchkey-timing-equaliser', ARGON2_OPTIONS);
  }

  /** Hashes the NFC form: the same password typed on any keyboard verifies. */
  hash(password: string): Promise<string> {
    return hash(password.normalize('NFC'), ARGON2_OPTIONS);
  }

  /**
   * Constant work whether or not there is a hash to check. A password no policy accepts (too long,
   * or a lone surrogate) is wrong without being normalised or hashed.
   */
  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    if (!isProcessablePassword(password)) return false;
    if (!passwordHash) {
      await verify(this.dummyHash, password.normalize('NFC')).catch(() => false);
      return false;
    }
    try {
      return await verify(passwordHash, password.normalize('NFC'));
    } catch {
      return false;
    }
  }
}
