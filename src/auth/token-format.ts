import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

export type TokenKind = 'pat' | 'ses' | 'rst';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 random bytes = 256 bits; 43 base62 digits hold them (62^43 > 2^256). */
const BODY_BYTES = 32;
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const TOKEN = /^lk_(pat|ses|rst)_([0-9A-Za-z]{49})$/;

/** Fixed-width base62 of a non-negative big integer, most significant digit first, left-padded with 0. */
function base62(value: bigint, width: number): string {
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(width, '0');
}

export function checksum(prefixAndBody: string): string {
  return base62(BigInt(crc32(prefixAndBody)), CHECKSUM_LENGTH);
}

/** A new secret `lk_<kind>_<body><checksum>` with 256 bits from the CSPRNG. */
export function generateToken(kind: TokenKind): string {
  const body = base62(BigInt(`0x${randomBytes(BODY_BYTES).toString('hex')}`), BODY_LENGTH);
  const head = `lk_${kind}_${body}`;
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
