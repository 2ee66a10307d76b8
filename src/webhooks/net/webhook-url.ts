import { isIP } from 'node:net';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Loopback, private, link-local, CGNAT, unspecified and multicast IPv4 ranges, as [first octets, prefix length]. */
const REFUSED_V4: [number, number, number, number, number][] = [
  [0, 0, 0, 0, 8],
  [10, 0, 0, 0, 8],
  [100, 64, 0, 0, 10],
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16],
  [172, 16, 0, 0, 12],
  [192, 168, 0, 0, 16],
  [224, 0, 0, 0, 4],
  [240, 0, 0, 0, 4],
];

function refusedV4(ip: string): boolean {
  const n = ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  return REFUSED_V4.some(([a, b, c, d, bits]) => {
    const base = ((a * 256 + b) * 256 + c) * 256 + d;
    const size = 2 ** (32 - bits);
    return n >= base && n < base + size;
  });
}

/** An IP literal as the WHATWG URL parser serialises it (IPv6 in brackets) that is not globally reachable. */
function refusedIpLiteral(host: string): boolean {
  if (host.startsWith('[')) {
    const ip = host.slice(1, -1).toLowerCase();
    if (ip === '::' || ip === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
    if (mapped) return refusedV4(mapped[1]);
    // The parser writes a mapped address as hex (::ffff:7f00:1).
    const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
    if (mappedHex) {
      const [hi, lo] = [parseInt(mappedHex[1], 16), parseInt(mappedHex[2], 16)];
      return refusedV4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return /^(fc|fd|fe[89ab]|ff)/.test(ip);
  }
  return isIP(host) === 4 && refusedV4(host);
}

const isLocalhost = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/**
 * Why `url` cannot be a webhook endpoint (one sentence, for a 400), or null. `https` only (plain `http`
 * for localhost when private networks are allowed), at most 2,048 characters, no userinfo, no fragment;
 * localhost and loopback, private or link-local IP literals only when private networks are allowed.
 * What a name resolves to is judged at delivery time.
 */
export function webhookUrlProblem(url: string, allowPrivateNetworks: boolean): string | null {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute URL.';
  }
  const host = parsed.hostname;
  if (parsed.protocol === 'http:') {
    if (!(allowPrivateNetworks && isLocalhost(host)))
      return 'url must use https (plain http only for localhost in development).';
  } else if (parsed.protocol !== 'https:') {
    return 'url must use https.';
  }
  if (parsed.username || parsed.password) return 'url must not contain a user name or password.';
  if (url.includes('#')) return 'url must not contain a fragment.';
  if (!host) return 'url must name a host.';
  if (!allowPrivateNetworks && (isLocalhost(host) || refusedIpLiteral(host)))
    return 'url must not point to localhost or a loopback, private or link-local address.';
  return null;
}
