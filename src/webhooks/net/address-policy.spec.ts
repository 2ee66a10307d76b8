import { describe, expect, it } from '@jest/globals';

import { isGloballyReachable } from './address-policy.js';

const refused: [string, string][] = [
  ['0.0.0.0', 'this host'],
  ['0.1.2.3', 'this network'],
  ['10.0.0.1', 'private 10/8'],
  ['10.255.255.255', 'private 10/8'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.254', 'CGNAT'],
  ['100.100.100.200', 'Alibaba metadata (CGNAT)'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.0.1', 'link-local'],
  ['169.254.169.254', 'cloud metadata (link-local)'],
  ['172.16.0.1', 'private 172.16/12'],
  ['172.31.255.255', 'private 172.16/12'],
  ['192.0.0.1', 'IETF protocol assignments'],
  ['192.0.0.8', 'IPv4 dummy address'],
  ['192.0.0.170', 'NAT64 discovery'],
  ['192.0.0.255', 'IETF protocol assignments'],
  ['192.0.2.1', 'TEST-NET-1'],
  ['192.88.99.1', 'deprecated 6to4 relay anycast'],
  ['192.168.1.1', 'private 192.168/16'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'limited broadcast'],
  ['168.63.129.16', 'Azure platform endpoint'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback, uncompressed'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
  ['::ffff:0.0.0.0', 'IPv4-mapped this host'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::192.168.0.1', 'IPv4-compatible private'],
  ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
  ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
  ['64:ff9b:1::808:808', 'NAT64 local-use prefix'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
  ['2002:a9fe:a9fe::1', '6to4 of metadata'],
  ['2001::1', 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2001:2::1', 'benchmarking'],
  ['2001:10::1', 'deprecated ORCHID'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation (RFC 9637)'],
  ['100::1', 'discard-only'],
  ['5f00::1', 'SRv6 SIDs'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['fd00:ec2::254', 'AWS metadata (unique-local)'],
  ['fe80::1', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'deprecated site-local'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'global-scope multicast'],
  ['::ffff:0:808:808', 'IPv4-translated (not a form judged by its IPv4 part)'],
  ['4000::1', 'unallocated'],
];

const allowed: [string, string][] = [
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['9.255.255.255', 'just below 10/8'],
  ['11.0.0.0', 'just above 10/8'],
  ['100.63.255.255', 'just below CGNAT'],
  ['100.128.0.0', 'just above CGNAT'],
  ['172.15.255.255', 'just below 172.16/12'],
  ['172.32.0.0', 'just above 172.16/12'],
  ['169.253.255.255', 'just below link-local'],
  ['192.0.0.9', 'PCP anycast (marked global)'],
  ['192.0.0.10', 'TURN anycast (marked global)'],
  ['192.0.1.1', 'just above 192.0.0/24'],
  ['192.31.196.1', 'AS112-v4 (marked global)'],
  ['192.52.193.1', 'AMT (marked global)'],
  ['192.175.48.1', 'AS112 direct delegation (marked global)'],
  ['198.17.255.255', 'just below benchmarking'],
  ['198.20.0.0', 'just above benchmarking'],
  ['223.255.255.255', 'just below multicast'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['2a00:1450:4001:80b::200e', 'public'],
  ['2001:1::1', 'PCP anycast (marked global)'],
  ['2001:1::2', 'TURN anycast (marked global)'],
  ['2001:3::1', 'AMT (marked global)'],
  ['2001:4:112::1', 'AS112-v6 (marked global)'],
  ['2001:20::1', 'ORCHIDv2 (marked global)'],
  ['2001:200::1', 'just above 2001::/23'],
  ['2620:4f:8000::1', 'AS112 direct delegation (marked global)'],
  ['3ffe::1', 'just below 3fff::/20'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['::ffff:808:808', 'IPv4-mapped public, hex'],
  ['::8.8.8.8', 'IPv4-compatible public'],
  ['64:ff9b::8.8.8.8', 'NAT64 of public'],
  ['64:ff9b::808:808', 'NAT64 of public, hex'],
  ['2002:808:808::1', '6to4 of public'],
];

const notAnAddress = [
  '',
  ' 8.8.8.8',
  '8.8.8.8 ',
  '8.8.8',
  '8.8.8.8.8',
  '256.1.1.1',
  '08.8.8.8',
  '0x8.8.8.8',
  '134744072',
  'example.com',
  'localhost',
  '[::1]',
  '::1%lo',
  'fe80::1%eth0',
  '1::2::3',
  ':1::',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7',
  '12345::1',
  'g::1',
  '::ffff:127.0.0.256',
  '::ffff:1.2.3',
  '1.2.3.4::',
  '2001:4860:4860::8888/128',
];

describe('isGloballyReachable', () => {
  it.each(refused)('refuses %s (%s)', (address) => {
    expect(isGloballyReachable(address)).toBe(false);
  });

  it.each(allowed)('allows %s (%s)', (address) => {
    expect(isGloballyReachable(address)).toBe(true);
  });

  it.each(notAnAddress)('refuses %j, which is not an IP address', (text) => {
    expect(isGloballyReachable(text)).toBe(false);
  });

  it('reads every spelling of one IPv6 address alike', () => {
    for (const text of [
      '2606:4700:4700::1111',
      '2606:4700:4700:0:0:0:0:1111',
      '2606:4700:4700:0000::1111',
      '2606:4700:4700::1111'.toUpperCase(),
    ]) {
      expect(isGloballyReachable(text)).toBe(true);
    }
    for (const text of ['FD00:EC2::254', 'fd00:0ec2:0:0:0:0:0:0254', '::FFFF:127.0.0.1', '0:0:0:0:0:ffff:7f00:0001']) {
      expect(isGloballyReachable(text)).toBe(false);
    }
  });
});
