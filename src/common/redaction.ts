/** An `lk_<kind>_…` token anywhere in a text. */
export const TOKEN_LIKE = /lk_[a-z]{3}_[0-9A-Za-z]+/g;
/** A `whsec_…` webhook signing secret anywhere in a text. */
export const SECRET_LIKE = /whsec_[A-Za-z0-9+/=]+/g;

/** The text with every token- or secret-shaped word replaced: for log lines and stored error texts. */
export const redactSecrets = (text: string): string =>
  text.replace(TOKEN_LIKE, '[redacted]').replace(SECRET_LIKE, '[redacted]');

/** An error as a log line or a stored error text keeps it: one line, bounded, nothing token- or secret-shaped. */
export function describeError(err: unknown, maxLength = 500): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(message).replace(/\s+/g, ' ').slice(0, maxLength);
}
