/**
 * IP addresses as text: parsing (shared by the webhook address policy) and the key a client's address is counted
 * under by the rate limits.
 */

const IPV4_TEXT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** Dotted-quad only: no leading zeros, no shorthand (their meaning differs between parsers). */
export function parseIPv4(text: string): bigint | null {
  if (!IPV4_TEXT.test(text)) return null;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
}

/** RFC 4291 §2.2 text forms, with an optional trailing dotted quad; a zone (`%eth0`) is not accepted. */
export function parseIPv6(text: string): bigint | null {
  if (text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const last = groups[groups.length - 1];
  const hextets: string[][] = groups.map(() => []);
  for (const [i, group] of groups.entries()) {
    for (const [j, part] of group.entries()) {
      if (group === last && j === group.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part);
        if (v4 === null) return null;
        hextets[i].push((v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
      } else if (HEXTET.test(part)) {
        hextets[i].push(part);
      } else {
        return null;
      }
    }
  }
  const count = hextets.reduce((n, h) => n + h.length, 0);
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = halves.length === 1 ? hextets[0] : [...hextets[0], ...Array<string>(8 - count).fill('0'), ...hextets[1]];
  return all.reduce((acc, h) => (acc << 16n) | BigInt(`0x${h}`), 0n);
}

const IPV4_MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96, RFC 4291 §2.5.5.2

/**
 * The key a client's address is counted under by the rate limits (S6): one per client whatever the text the socket or
 * the trusted proxy wrote. An IPv4 address as it is; an IPv4-mapped IPv6 address as its IPv4 address; any other IPv6
 * address as its /64, the block one subscriber is given (RFC 6177), so that a client cannot spend one budget per
 * address of its own network, or per spelling of one address (`2001:DB8::1`, `2001:db8:0:0::1`).
 */
export function rateLimitKeyOf(ip: string | null): string {
  if (ip === null) return 'unknown';
  if (parseIPv4(ip) !== null) return ip;
  const v6 = parseIPv6(ip);
  if (v6 === null) return ip;
  if (v6 >> 32n === IPV4_MAPPED_PREFIX) {
    return [24n, 16n, 8n, 0n].map((shift) => String((v6 >> shift) & 0xffn)).join('.');
  }
  const prefix = [112n, 96n, 80n, 64n].map((shift) => ((v6 >> shift) & 0xffffn).toString(16));
  return `${prefix.join(':')}::/64`;
}
