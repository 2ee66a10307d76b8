import { describe, expect, it } from '@jest/globals';
import { rateLimitKeyOf } from './ip-address.js';

describe('rateLimitKeyOf: one key per client, whatever the spelling of its address', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:102:304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:0102:0304', '1.2.3.4'],
  ])('%s is the IPv4 address %s', (ip, key) => {
    expect(rateLimitKeyOf(ip)).toBe(key);
  });

  it('counts every spelling of one IPv6 address, and every address of its /64, under one key', () => {
    const keys = [
      '2001:db8::1',
      '2001:DB8::1',
      '2001:db8:0::1',
      '2001:db8:0:0:0:0:0:1',
      '2001:0db8:0000:0000:ffff:ffff:ffff:fffe',
      '2001:db8::6',
    ].map(rateLimitKeyOf);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:0:0::/64']));
  });

  it('keeps other /64s apart', () => {
    expect(rateLimitKeyOf('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(rateLimitKeyOf('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves text that is no address as it is, and no address as `unknown`', () => {
    expect(rateLimitKeyOf('not an address')).toBe('not an address');
    expect(rateLimitKeyOf(null)).toBe('unknown');
  });
});
