import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** Sealed text: version, then base64url of the 12-byte IV, the 16-byte tag and the ciphertext. */
const VERSION = 'v1';
const KEY_FILE = 'secrets.key';

/**
 * Encrypts the secrets the service must be able to use again (webhook signing secrets, the content
 * of queued emails, which holds reset links) with AES-256-GCM under SECRETS_KEY. Each sealed value is
 * bound to its owner's id (the GCM additional data), so a sealed secret copied onto another row does
 * not open.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.secretsKey ?? SecretBox.keyUnder(config.dataDir);
  }

  seal(plain: string, ownerId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(ownerId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Throws when the value was not sealed with this key for this owner. */
  open(sealed: string, ownerId: string): string {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || !data) throw new Error('unknown sealed-secret format');
    const raw = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(ownerId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /**
   * Without SECRETS_KEY: a key generated on first start and kept in DATA_DIR (mode 0600). It serves
   * this instance only; instances that share a database must share SECRETS_KEY.
   */
  private static keyUnder(dataDir: string): Buffer {
    const file = path.join(dataDir, KEY_FILE);
    try {
      const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
      if (key.length === 32) return key;
      throw new Error(`${file} does not hold the base64 of 32 bytes`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    // 'wx': if another process wrote it first, fail here rather than replace a key in use.
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    new Logger(SecretBox.name).warn(
      `SECRETS_KEY is not set: generated ${file}; set SECRETS_KEY when several instances share a database`,
    );
    return key;
  }
}
