import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { base62, checksum, generateToken, hashToken, parseToken, type TokenKind, tokenHint } from './token-format.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KINDS: TokenKind[] = ['pat', 'ses', 'rst'];

/** A reference implementation written apart from the code under test: zlib's CRC-32 in 6 base62 digits. */
function referenceChecksum(head: string): string {
  let n = zlib.crc32(head);
  const digits: string[] = [];
  for (let i = 0; i < 6; i++) {
    digits.unshift(ALPHABET[n % 62]);
    n = Math.floor(n / 62);
  }
  return digits.join('');
}

/** Another alphabet character at position i, so the token keeps its shape but not its checksum. */
function flip(token: string, i: number): string {
  const next = ALPHABET[(ALPHABET.indexOf(token[i]) + 1) % ALPHABET.length];
  return token.slice(0, i) + next + token.slice(i + 1);
}

describe('token format', () => {
  it.each(KINDS)('generates lk_%s_ tokens with a 43-character base62 body and a 6-character checksum', (kind) => {
    const token = generateToken(kind);
    expect(token).toMatch(new RegExp(`^lk_${kind}_[0-9A-Za-z]{49}$`));
    expect(parseToken(token)).toBe(kind);
  });

  it('draws at least 160 bits for the body', () => {
    // 43 base62 digits carry log2(62) * 43 ≈ 256 bits; the value is random, not a counter.
    expect(Math.log2(62) * 43).toBeGreaterThanOrEqual(160);
    const bodies = new Set(Array.from({ length: 500 }, () => generateToken('pat').slice(7, 50)));
    expect(bodies.size).toBe(500);
    const used = new Set([...bodies].join(''));
    expect(used.size).toBeGreaterThan(55);
  });

  it('ends with the CRC-32 of lk_<kind>_<body>, computed independently with zlib.crc32', () => {
    for (const kind of KINDS) {
      for (let i = 0; i < 50; i++) {
        const token = generateToken(kind);
        const head = token.slice(0, -6);
        expect(token.slice(-6)).toBe(referenceChecksum(head));
      }
    }
  });

  it('writes a body as BigInt arithmetic would: 43 base62 digits of the 256-bit number, left-padded with 0', () => {
    const reference = (bytes: Buffer) => {
      let value = BigInt(`0x${bytes.toString('hex')}`);
      let out = '';
      while (value > 0n) {
        out = ALPHABET[Number(value % 62n)] + out;
        value /= 62n;
      }
      return out.padStart(43, '0');
    };
    const edges = [Buffer.alloc(32), Buffer.alloc(32, 0xff), Buffer.from([...Array<number>(31).fill(0), 1])];
    edges.push(
      Buffer.from([0x80, ...Array<number>(31).fill(0)]),
      Buffer.from([...Array<number>(28).fill(0), 0, 0, 0, 62]),
    );
    for (const bytes of [...edges, ...Array.from({ length: 300 }, () => randomBytes(32))]) {
      expect(base62(bytes, 43)).toBe(reference(bytes));
    }
    expect(base62(Buffer.alloc(32, 0xff), 43)).toBe('yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp1');
  });

  it('writes the checksum most significant digit first, left-padded with 0', () => {
    // CRC-32("123456789") is the standard check value 0xCBF43926 = 3421780262.
    expect(checksum('123456789')).toBe('3jZRME');
    // This head's CRC-32 is 8411364, four base62 digits.
    const head = `lk_rst_${'0'.repeat(40)}173`;
    expect(zlib.crc32(head)).toBe(8_411_364);
    expect(checksum(head)).toBe('00ZIBA');
    expect(parseToken(head + '00ZIBA')).toBe('rst');
  });

  it('rejects a token with any one character changed', () => {
    const token = generateToken('pat');
    for (const i of [7, 20, 49, 50, 55]) expect(parseToken(flip(token, i))).toBeNull();
  });

  it('rejects another kind, even with a checksum that matches it', () => {
    const token = generateToken('pat');
    expect(parseToken(token.replace('lk_pat_', 'lk_ses_'))).toBeNull();
    const head = `lk_key_${token.slice(7, 50)}`;
    expect(parseToken(head + referenceChecksum(head))).toBeNull();
    const upper = `LK_PAT_${token.slice(7, 50)}`;
    expect(parseToken(upper + referenceChecksum(upper))).toBeNull();
  });

  it('rejects a body that is too short or too long, even with a matching checksum', () => {
    const body = generateToken('ses').slice(7, 50);
    for (const b of [body.slice(1), body + 'a', '']) {
      const head = `lk_ses_${b}`;
      expect(parseToken(head + referenceChecksum(head))).toBeNull();
    }
  });

  it('rejects characters outside base62 and surrounding whitespace', () => {
    const token = generateToken('pat');
    expect(parseToken(` ${token}`)).toBeNull();
    expect(parseToken(`${token}\n`)).toBeNull();
    expect(parseToken(token.slice(0, 20) + '-' + token.slice(21))).toBeNull();
  });

  it.each([undefined, null, 42, {}, [], true, Buffer.from('lk_pat_')])('rejects the non-string %p', (value) => {
    expect(parseToken(value)).toBeNull();
  });

  it('stores the SHA-256 of the whole token and hints with its last four characters', () => {
    const token = generateToken('pat');
    expect(hashToken(token).equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(hashToken(token)).toHaveLength(32);
    expect(tokenHint(token)).toBe(token.slice(-4));
  });
});
