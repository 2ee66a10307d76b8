/** Pure text helpers, shared by the validation pipe, identifiers and the password policy (which imports nothing else). */

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when the text holds a lone surrogate: a UTF-16 code unit of a pair standing alone, which is no character.
 * argon2 would hash it as U+FFFD, PostgreSQL's JSON refuses it and its text would store U+FFFD in its place.
 */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** How many code points `text` holds: a character outside the BMP is one, not its two UTF-16 units. */
export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
