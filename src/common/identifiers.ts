import { domainToASCII } from 'node:url';
import { codePoints } from './unicode.js';

/** RFC 5321's limit on a forward path; checked before any other work on the text. */
export const MAX_EMAIL_LENGTH = 254;
/** Names: an account's name, a user's first and last name and company, a template's fromName. */
export const MAX_NAME_LENGTH = 100;

/** Unicode Cc (C0, DEL, C1: CR and LF among them) and Cf (zero-width, bidi controls, BOM, soft hyphen…). */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;
/** The WHATWG "ASCII whitespace" at either end; JavaScript's trim() would also eat Unicode spaces. */
export const ASCII_WHITESPACE_AT_ENDS = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

/*
 * The same rules as patterns for the OpenAPI document, in the syntax every client's regex engine reads (no \p{…}):
 * Unicode Cc and Cf of the Basic Multilingual Plane, and the characters JavaScript's trim() removes. (A Cf character
 * beyond the BMP, such as a tag character, is refused by the service but not by these patterns.)
 */
const CONTROL_OR_FORMAT_BMP =
  '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e' +
  '\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb';
const TRIMMED_BY_JS = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** For tests: the two character classes above, as the document publishes them. */
export const PATTERN_CLASSES = { controlOrFormat: CONTROL_OR_FORMAT_BMP, trimmed: TRIMMED_BY_JS };
/** A name that must hold something once trimmed: no control or format character, and not only spaces. */
export const NAME_PATTERN = `^[^${CONTROL_OR_FORMAT_BMP}]*[^${CONTROL_OR_FORMAT_BMP}${TRIMMED_BY_JS}][^${CONTROL_OR_FORMAT_BMP}]*$`;
/** A name that may be empty or is kept as typed: no control or format character. */
export const NO_CONTROL_PATTERN = `^[^${CONTROL_OR_FORMAT_BMP}]*$`;
/** Text trimmed before it is checked, which must hold something then, and no NUL (PostgreSQL's text has none). */
export const TRIMMED_TEXT_PATTERN = `^[^\\u0000]*[^\\u0000${TRIMMED_BY_JS}][^\\u0000]*$`;
/**
 * One line of text, as an email's subject is: no C0 or C1 control character (CR, LF and tab among them), no DEL, and
 * no line or paragraph separator (U+2028, U+2029), which mail clients and JavaScript also break lines at.
 */
export const NO_CONTROL_CHARACTER_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$';
/** Any other text: no NUL anywhere (the validation pipe refuses it in every string). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/** Why an identifier has no canonical form; the message is safe to show to whoever typed it. */
export class IdentifierError extends Error {}

/** True when the text holds a control or format character anywhere. */
const hasControlOrFormat = (text: string): boolean => CONTROL_OR_FORMAT.test(text);

/**
 * A name as it is stored: trimmed of whitespace at its ends, unless it holds a control or format character anywhere,
 * which the name's validation refuses (a BOM or a tab at an end is refused, not trimmed away).
 */
export const trimmedName = (text: string): string => (hasControlOrFormat(text) ? text : text.trim());

/** More than MAX_EMAIL_LENGTH code points (as the OpenAPI document's maxLength counts); the UTF-16 length first. */
const tooLongEmail = (text: string): boolean =>
  text.length > MAX_EMAIL_LENGTH && (text.length > 2 * MAX_EMAIL_LENGTH || codePoints(text) > MAX_EMAIL_LENGTH);

/**
 * An email as it is stored and returned: ASCII whitespace trimmed, NFC. Throws IdentifierError
 * when it is too long or holds a control or format character. Idempotent. Text that trims to
 * nothing stays empty: no one's address where one is looked up, and no address (isEmail) where
 * one is stored.
 */
export function storedEmail(raw: string): string {
  if (tooLongEmail(raw)) throw new IdentifierError(`email must be at most ${MAX_EMAIL_LENGTH} characters`);
  if (hasControlOrFormat(raw)) throw new IdentifierError('email must not contain control or format characters');
  const stored = raw.replace(ASCII_WHITESPACE_AT_ENDS, '').normalize('NFC');
  // NFC composes far more often than it expands, but a few code points do grow.
  if (tooLongEmail(stored)) throw new IdentifierError(`email must be at most ${MAX_EMAIL_LENGTH} characters`);
  return stored;
}

/**
 * The one canonical form of an email (API.md "Users"), for uniqueness, every lookup and every
 * rate-limit key: the stored form, lower-cased with JavaScript's toLowerCase() (never the
 * database's lower(), which disagrees on `İ`), with the domain — after the last `@` — converted to
 * ASCII by UTS #46 (`bücher.example` → `xn--bcher-kva.example`). Throws IdentifierError when there
 * is none (too long, a control or format character, a domain UTS #46 refuses). Idempotent: the canonical form of a canonical form is itself.
 */
export function canonicalEmail(raw: string): string {
  const lowered = storedEmail(raw).toLowerCase();
  const at = lowered.lastIndexOf('@');
  // Text with no domain (or nothing at all) is no one's address (stored emails are checked by isEmail): a login with it
  // is an unknown email (401, counted), never a 400 that would tell a password typed there apart.
  if (at < 1 || at === lowered.length - 1) return lowered;
  const domain = domainToASCII(lowered.slice(at + 1));
  if (domain === '') throw new IdentifierError('email domain is not a valid domain name');
  return `${lowered.slice(0, at)}@${domain}`;
}

/** The reason an email has no canonical form, or null. Never throws. */
export function emailProblem(raw: unknown): string | null {
  if (typeof raw !== 'string') return 'email must be a string';
  try {
    canonicalEmail(raw);
    return null;
  } catch (err) {
    if (err instanceof IdentifierError) return err.message;
    throw err;
  }
}

/**
 * An account alias as typed at login or in a reset request, in the form aliases are stored in:
 * aliases are lower-case slugs, so `"Acme "` names the account `acme`.
 */
export const canonicalAlias = (raw: string): string => raw.replace(ASCII_WHITESPACE_AT_ENDS, '').toLowerCase();

/**
 * The reason `value` is not a string of `min`…`max` code points (as the OpenAPI document's minLength and maxLength
 * count), or null. A string of more than twice `max` UTF-16 units is too long without being counted.
 */
export function lengthProblem(field: string, value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  const length = value.length > 2 * max ? value.length : codePoints(value);
  if (length >= min && length <= max) return null;
  return min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`;
}

/** The reason a name is refused, or null: a string of `min`…MAX_NAME_LENGTH characters without control or format characters. */
export function nameProblem(field: string, value: unknown, min = 1): string | null {
  // The length first: nothing else looks at a long string.
  const problem = lengthProblem(field, value, min, MAX_NAME_LENGTH);
  if (problem !== null || typeof value !== 'string') return problem;
  if (hasControlOrFormat(value)) return `${field} must not contain control or format characters`;
  return null;
}
