// What the orchestrator, the seed script and the baseline server share: the token format of the
// contract, the seeded data's identities, and the argon2id parameters.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Algorithm } from '@node-rs/argon2';

/** The contract's argon2id parameters (m = 19 MiB, t = 2, p = 1), as the service uses them. */
export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Every seeded user's password, and the one each reset sets again: it passes the policy for these names. */
export const PASSWORD = 'velvet quasar lantern mosaic 7241';

export const ACCOUNT = { alias: 'bench', name: 'Bench Org', id: idOf('account') };
export const ADMIN = { id: idOf('admin'), email: 'admin@bench.example.com' };

/** The seeded user number `n` (1-based): deterministic, so any process can name users without a query. */
export const userId = (n) => idOf(`user-${n}`);
export const userEmail = (n) => `u${n}@bench.example.com`;

/** A UUID-shaped MD5 of a name, as PostgreSQL's `md5(...)::uuid` gives it (the seed computes ids in SQL). */
export function idOf(name) {
  const h = createHash('md5').update(`lk-bench-${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TOKEN = /^lk_(pat|ses|rst)_([0-9A-Za-z]{49})$/;

function base62(value, width) {
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(width, '0');
}

const checksum = (head) => base62(BigInt(zlib.crc32(head)), 6);

/** `lk_<kind>_<43 base62 digits of 32 random bytes><CRC-32 in 6 base62 digits>`, as API.md defines it. */
export function generateToken(kind) {
  const head = `lk_${kind}_${base62(BigInt(`0x${randomBytes(32).toString('hex')}`), 43)}`;
  return head + checksum(head);
}

/** The kind of a well-formed token with a matching checksum, else null. */
export function parseToken(token) {
  if (typeof token !== 'string') return null;
  const m = TOKEN.exec(token);
  if (!m) return null;
  return checksum(token.slice(0, -6)) === token.slice(-6) ? m[1] : null;
}

export const hashToken = (token) => createHash('sha256').update(token, 'utf8').digest();

/**
 * The Node.js flags the service runs with: those of package.json's `start:prod` (`exec node <flags> dist/src/main.js`),
 * which `npm start` and the Dockerfile repeat (src/runtime-flags.spec.ts), so a benchmark cannot drift from them.
 */
export function startProdFlags() {
  const { scripts } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const flags = /\bnode\s+((?:--\S+\s+)*)dist\/src\/main\.js/.exec(scripts['start:prod'])?.[1];
  if (flags === undefined) throw new Error('package.json start:prod does not run `node … dist/src/main.js`');
  return flags.split(/\s+/).filter(Boolean);
}
