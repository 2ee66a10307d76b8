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

/**
 * A request path as logged: every token- or secret-shaped word redacted, also when the client percent-encoded it (a
 * client may escape any character). A path with an escaped secret is logged decoded, redacted, with every byte that is
 * not printable ASCII escaped again, so the log line stays one line.
 */
export function redactUrlPath(path: string): string {
  if (!path.includes('%')) return redactSecrets(path);
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const redacted = redactSecrets(decoded);
  if (redacted === decoded) return path;
  return redacted.replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
