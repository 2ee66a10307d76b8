import { describe, expect, it } from '@jest/globals';
import { parseRfc3339 } from './date-time.js';

describe('parseRfc3339', () => {
  it('reads years 0000–0099 as those years', () => {
    expect(parseRfc3339('0020-04-20T00:00:01Z')?.toISOString()).toBe('0020-04-20T00:00:01.000Z');
    expect(parseRfc3339('0000-01-01T00:00:00Z')?.toISOString()).toBe('0000-01-01T00:00:00.000Z');
  });

  it('takes lower-case t and z, offsets, fractions and a leap second', () => {
    expect(parseRfc3339('2020-04-20t10:00:00z')?.toISOString()).toBe('2020-04-20T10:00:00.000Z');
    expect(parseRfc3339('2020-04-20T12:00:00.123456+02:00')?.toISOString()).toBe('2020-04-20T10:00:00.123Z');
    expect(parseRfc3339('2016-12-31T23:59:60Z')?.toISOString()).toBe('2017-01-01T00:00:00.000Z');
  });

  it('refuses what is not a date-time', () => {
    for (const bad of [
      '2020-02-30T00:00:00Z',
      '2021-02-29T00:00:00Z',
      '2020-13-01T00:00:00Z',
      '2020-01-01T24:00:00Z',
      '2020-01-01',
      '2020-01-01T00:00:00',
      'yesterday',
    ])
      expect(parseRfc3339(bad)).toBeNull();
    expect(parseRfc3339('2020-02-29T00:00:00Z')).not.toBeNull();
  });
});
