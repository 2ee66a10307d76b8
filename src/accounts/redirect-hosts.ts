/** A host name of lower-case A-labels (letters, digits, inner hyphens), optionally with a port. */
const REDIRECT_HOST =
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?$/;

/**
 * Why an `allowedRedirectHosts` entry is not acceptable, or null: it must be a lower-case A-label
 * host name, optionally `:port`, written as a URL serialises it (`bücher.example` is
 * `xn--bcher-kva.example`, `:443` is left out), so that it compares equal to a parsed link's host.
 */
export function redirectHostProblem(entry: unknown): string | null {
  if (typeof entry !== 'string' || entry.length > 260) return 'must be a host name of at most 253 characters';
  if (/[/\\@?#]/.test(entry)) return 'must be a host name, optionally with :port: no scheme, path or user info';
  let host: string;
  try {
    host = new URL(`https://${entry}`).host;
  } catch {
    return 'must be a host name, optionally with :port';
  }
  if (host !== entry) return `must be written as ${host}`;
  if (!REDIRECT_HOST.test(entry) || entry.split(':')[0].length > 253) {
    return 'must be a host name of lower-case A-labels, optionally with :port';
  }
  return null;
}
