/**
 * The entries the OpenAPI document describes (its `pattern`): lower-case A-labels whose last one starts with a letter
 * (a numeric one would make the name an IPv4 address), and a port from 1 to 65535 written without leading zeros
 * other than 443 (which a URL leaves out). redirectHostProblem accepts exactly the entries it matches, but for an
 * `xn--` label that is not valid Punycode, which no pattern can say.
 */
export const REDIRECT_HOST_PATTERN =
  '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?' +
  '(?::(?:[1-9][0-9]?|[1-35-9][0-9]{2}|4[0-35-9][0-9]|44[0-24-9]|[1-9][0-9]{3}' +
  '|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?$';

/** The published pattern, which the service applies as written: what it documents is what it accepts. */
const REDIRECT_HOST = new RegExp(REDIRECT_HOST_PATTERN);

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
  const [name, port] = entry.split(':');
  if (port !== undefined && !/^[1-9][0-9]*$/.test(port)) return 'must have a port from 1 to 65535';
  if (/^[0-9]/.test(name.split('.').at(-1) ?? '')) return 'must be a host name whose last label starts with a letter';
  if (!REDIRECT_HOST.test(entry) || name.length > 253) {
    return 'must be a host name of lower-case A-labels, optionally with :port';
  }
  return null;
}
