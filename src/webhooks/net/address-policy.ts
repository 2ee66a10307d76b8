/**
 * Which IP addresses a webhook may be delivered to (SECURITY.md S19).
 *
 * An address is allowed only when the IANA special-purpose address registries mark it globally
 * reachable ("Globally Reachable: True", or not listed at all inside global unicast space):
 * - IPv4: https://www.iana.org/assignments/iana-ipv4-special-registry (RFC 6890, updated by RFC 8190),
 *   plus 224.0.0.0/4 multicast (RFC 5771), which that registry does not list;
 * - IPv6: https://www.iana.org/assignments/iana-ipv6-special-registry, inside 2000::/3, the only space
 *   the IPv6 address space registry allocates as global unicast (RFC 4291 §2.4): `::/8`, `fc00::/7`,
 *   `fe80::/10`, `fec0::/10`, `ff00::/8`, … are outside it and so refused.
 *
 * Forms that carry an IPv4 address are judged by that address: IPv4-mapped `::ffff:0:0/96` and
 * IPv4-compatible `::/96` (RFC 4291 §2.5.5), NAT64 `64:ff9b::/96` (RFC 6052) and 6to4 `2002::/16`
 * (RFC 3056). Refused outright: NAT64 local-use `64:ff9b:1::/48` (RFC 8215; not global, and where
 * its IPv4 part sits depends on the operator's prefix length) and Teredo `2001::/32` (RFC 4380;
 * its addresses relay through a server to an obfuscated client address).
 *
 * Cloud metadata endpoints: 169.254.169.254 and Alibaba's 100.100.100.200 fall in link-local and
 * shared address space, AWS's fd00:ec2::254 in unique-local; Azure's WireServer 168.63.129.16 is
 * public space reachable only from inside Azure, so it is listed by hand.
 */

import { parseIPv4, parseIPv6 } from '../../common/ip-address.js';

interface Range {
  readonly base: bigint;
  readonly bits: number;
}

type Table = readonly Range[];

/** IPv4 ranges that are not globally reachable. */
const IPV4_REFUSED: Table = [
  '0.0.0.0/8', // "This network" (RFC 791 §3.2)
  '10.0.0.0/8', // Private-Use (RFC 1918)
  '100.64.0.0/10', // Shared Address Space, CGNAT (RFC 6598)
  '127.0.0.0/8', // Loopback (RFC 1122 §3.2.1.3)
  '169.254.0.0/16', // Link Local (RFC 3927), 169.254.169.254 metadata
  '172.16.0.0/12', // Private-Use (RFC 1918)
  '192.0.0.0/24', // IETF Protocol Assignments (RFC 6890 §2.1), except the global entries below
  '192.0.2.0/24', // Documentation TEST-NET-1 (RFC 5737)
  '192.88.99.0/24', // Deprecated 6to4 Relay Anycast (RFC 7526)
  '192.168.0.0/16', // Private-Use (RFC 1918)
  '198.18.0.0/15', // Benchmarking (RFC 2544)
  '198.51.100.0/24', // Documentation TEST-NET-2 (RFC 5737)
  '203.0.113.0/24', // Documentation TEST-NET-3 (RFC 5737)
  '224.0.0.0/4', // Multicast (RFC 5771)
  '240.0.0.0/4', // Reserved (RFC 1112 §4), including 255.255.255.255 Limited Broadcast (RFC 919 §7)
  '168.63.129.16/32', // Azure WireServer / platform endpoint (not an IANA entry)
].map((cidr) => range(cidr, 4));

/** IPv4 entries inside a refused range that the registry marks globally reachable. */
const IPV4_GLOBAL_EXCEPTIONS: Table = [
  '192.0.0.9/32', // Port Control Protocol Anycast (RFC 7723)
  '192.0.0.10/32', // Traversal Using Relays around NAT Anycast (RFC 8155)
].map((cidr) => range(cidr, 4));

/** IPv6 ranges inside 2000::/3 that are not globally reachable. */
const IPV6_REFUSED: Table = [
  '2001::/23', // IETF Protocol Assignments (RFC 2928), except the global entries below; includes Teredo 2001::/32
  '2001:db8::/32', // Documentation (RFC 3849)
  '3fff::/20', // Documentation (RFC 9637)
].map((cidr) => range(cidr, 6));

/** IPv6 entries inside a refused range that the registry marks globally reachable. */
const IPV6_GLOBAL_EXCEPTIONS: Table = [
  '2001:1::1/128', // Port Control Protocol Anycast (RFC 7723)
  '2001:1::2/128', // Traversal Using Relays around NAT Anycast (RFC 8155)
  '2001:1::3/128', // DNS-SD Service Registration Protocol Anycast (RFC 9665)
  '2001:3::/32', // AMT (RFC 7450)
  '2001:4:112::/48', // AS112-v6 (RFC 7535)
  '2001:20::/28', // ORCHIDv2 (RFC 7343)
  '2001:30::/28', // Drone Remote ID Protocol Entity Tags (RFC 9374)
].map((cidr) => range(cidr, 6));

const GLOBAL_UNICAST = range('2000::/3', 6);
const IPV4_MAPPED = range('::ffff:0:0/96', 6); // RFC 4291 §2.5.5.2
const IPV4_COMPATIBLE = range('::/96', 6); // RFC 4291 §2.5.5.1 (deprecated); covers :: and ::1 too
const NAT64_WELL_KNOWN = range('64:ff9b::/96', 6); // RFC 6052
const SIX_TO_FOUR = range('2002::/16', 6); // RFC 3056; the IPv4 address is bits 16–47

/** True when the address (IPv4 or IPv6 text) is globally reachable per the IANA IPv4/IPv6 special-purpose address registries. */
export function isGloballyReachable(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4 !== null) return isGlobalIPv4(v4);
  const v6 = parseIPv6(address);
  if (v6 === null) return false;
  if (within(v6, IPV4_MAPPED) || within(v6, NAT64_WELL_KNOWN)) return isGlobalIPv4(v6 & 0xffffffffn);
  // IPv4-compatible ::a.b.c.d: its IPv4 part is never 0.0.0.0/8, so :: and ::1 are refused as 0.0.0.0 and 0.0.0.1.
  if (within(v6, IPV4_COMPATIBLE)) return isGlobalIPv4(v6 & 0xffffffffn);
  if (within(v6, SIX_TO_FOUR)) return isGlobalIPv4((v6 >> 80n) & 0xffffffffn);
  if (!within(v6, GLOBAL_UNICAST)) return false;
  return !refused(v6, IPV6_REFUSED, IPV6_GLOBAL_EXCEPTIONS);
}

function isGlobalIPv4(value: bigint): boolean {
  return !refused(value, IPV4_REFUSED, IPV4_GLOBAL_EXCEPTIONS);
}

function refused(value: bigint, table: Table, exceptions: Table): boolean {
  return table.some((r) => within(value, r)) && !exceptions.some((r) => within(value, r));
}

function within(value: bigint, r: Range): boolean {
  return value >> BigInt(r.bits) === r.base >> BigInt(r.bits);
}

/** `bits` is the number of host bits, so `within` compares the network part by shifting. */
function range(cidr: string, family: 4 | 6): Range {
  const [text, length] = cidr.split('/');
  const base = family === 4 ? parseIPv4(text) : parseIPv6(text);
  if (base === null) throw new Error(`bad range ${cidr}`);
  return { base, bits: (family === 4 ? 32 : 128) - Number(length) };
}
