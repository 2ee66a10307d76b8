import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

export type TokenKind = 'pat' | 'ses' | 'rst';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 random bytes = 256 bits; 43 base62 digits hold them (62^43 > 2^256). */
const BODY_BYTES = 32;
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const TOKEN = /^lk_(pat|ses|rst)_([0-9A-Za-z]{49})$/;

/**
 * Fixed-width base62 of the unsigned big-endian integer in `bytes` (a multiple of 4 long), most significant digit
 * first, left-padded with 0: long division of its 32-bit words by 62, each step exact in a double (61·2³² + 2³² <
 * 2⁵³). The same digits as BigInt arithmetic, without its allocations.
 */
export function base62(bytes: Uint8Array, width: number): string {
  const words = new Float64Array(bytes.length / 4);
  for (let i = 0; i < words.length; i++) {
    words[i] = ((bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) | bytes[4 * i + 3]) >>> 0;
  }
  const digits = new Array<string>(width);
  for (let d = width - 1; d >= 0; d--) {
    let remainder = 0;
    for (let i = 0; i < words.length; i++) {
      const current = remainder * 4294967296 + words[i];
      words[i] = Math.floor(current / 62);
      remainder = current - words[i] * 62;
    }
    digits[d] = ALPHABET[remainder];
  }
  return digits.join('');
}

export function checksum(prefixAndBody: string): string {
  let n = crc32(prefixAndBody);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** CSPRNG bytes drawn 2 KiB at a time, as crypto.randomUUID draws its own: one system call per 64 tokens. */
const pool = Buffer.alloc(BODY_BYTES * 64);
let poolOffset = pool.length;

/** A new secret `lk_<kind>_<body><checksum>` with 256 bits from the CSPRNG. */
export function generateToken(kind: TokenKind): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const random = pool.subarray(poolOffset, poolOffset + BODY_BYTES);
  poolOffset += BODY_BYTES;
  const head = `lk_${kind}_${base62(random, BODY_LENGTH)}`;
  // The bytes are the secret: none stays behind in the pool once used.
  random.fill(0);
  return head + checksum(head);
}

/** The token's kind when it is well-formed and its checksum matches; otherwise null (no lookup needed). */
export function parseToken(token: unknown): TokenKind | null {
  if (typeof token !== 'string') return null;
  const m = TOKEN.exec(token);
  if (!m) return null;
  const head = token.slice(0, token.length - CHECKSUM_LENGTH);
  const sum = Buffer.from(token.slice(-CHECKSUM_LENGTH));
  const expected = Buffer.from(checksum(head));
  return timingSafeEqual(sum, expected) ? (m[1] as TokenKind) : null;
}

/** What is stored and looked up: the SHA-256 of the whole token. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The last four characters, shown to tell PATs apart. */
export const tokenHint = (token: string) => token.slice(-4);
