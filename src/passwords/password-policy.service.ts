import { Injectable } from '@nestjs/common';
import { Errors } from '../common/api-error.js';
import { hasLoneSurrogate } from '../common/unicode.js';
import { PasswordStrength } from './password-strength.js';

export const MAX_PASSWORD_LENGTH = 256;
/**
 * A password field longer than this many UTF-16 code units is refused before anything normalises,
 * scores or hashes it: NFC alone costs a second on 96 KB of reordering combining marks.
 */
export const MAX_PASSWORD_INPUT_LENGTH = 1024;

/** Whether a password field may be normalised, scored or hashed at all: bounded and well-formed UTF-16. */
export function isProcessablePassword(password: string): boolean {
  return password.length <= MAX_PASSWORD_INPUT_LENGTH && !hasLoneSurrogate(password);
}
/** Context words shorter than this are too common to reject on. */
const MIN_CONTEXT_WORD = 4;

export interface PasswordContext {
  minLength: number;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  accountName?: string | null;
}

/**
 * NIST 800-63B-4: length (after NFC, in code points), no composition rules, never truncated,
 * a blocklist of common passwords and of the user's own context words, and the reason given.
 */
@Injectable()
export class PasswordPolicy {
  constructor(private readonly strength: PasswordStrength) {}

  /** The NFC form that is hashed and verified. */
  static normalize(password: string): string {
    return password.normalize('NFC');
  }

  /** Throws 400 WEAK_PASSWORD with the reason, or returns the normalised password. */
  async assertAcceptable(password: unknown, ctx: PasswordContext): Promise<string> {
    const reason = await this.check(password, ctx);
    if (reason) throw Errors.weakPassword(reason);
    return PasswordPolicy.normalize(password as string);
  }

  /** The reason the password is rejected, or null. */
  async check(password: unknown, ctx: PasswordContext): Promise<string | null> {
    if (typeof password !== 'string') return 'The password must be a string.';
    const tooLong = `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
    if (password.length > MAX_PASSWORD_INPUT_LENGTH) return tooLong;
    if (hasLoneSurrogate(password)) return 'The password must be well-formed text (it holds a lone surrogate).';
    const normalized = PasswordPolicy.normalize(password);
    const length = Array.from(normalized).length;
    if (length < ctx.minLength) return `The password must be at least ${ctx.minLength} characters long.`;
    if (length > MAX_PASSWORD_LENGTH) return tooLong;
    const lower = normalized.toLowerCase();
    const words = contextWords(ctx);
    const hit = words.find((w) => lower.includes(w.value));
    if (hit) return `The password must not contain ${hit.what}.`;
    const result = await this.strength.score(
      normalized,
      words.map((w) => w.value),
    );
    if (result.score < 3) {
      const why = result.warning ? ` ${result.warning}` : '';
      return `The password is too easy to guess.${why}`.trim();
    }
    return null;
  }
}

function contextWords(ctx: PasswordContext): { value: string; what: string }[] {
  const out: { value: string; what: string }[] = [];
  const add = (value: string | null | undefined, what: string) => {
    const v = value?.normalize('NFC').trim().toLowerCase();
    if (v && Array.from(v).length >= MIN_CONTEXT_WORD) out.push({ value: v, what });
  };
  add(ctx.email?.split('@')[0], 'your email address');
  add(ctx.firstName, 'your first name');
  add(ctx.lastName, 'your last name');
  for (const word of (ctx.accountName ?? '').split(/[^\p{L}\p{N}]+/u)) add(word, 'the account name');
  return out;
}
