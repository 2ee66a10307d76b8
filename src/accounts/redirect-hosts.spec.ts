import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REDIRECT_HOST_PATTERN, redirectHostProblem } from './redirect-hosts.js';

describe('REDIRECT_HOST_PATTERN (published in the OpenAPI document)', () => {
  it('matches only entries the service accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(REDIRECT_HOST_PATTERN)), (entry) => {
        // An xn-- label must also be valid Punycode, which no pattern can say.
        fc.pre(entry.length <= 253 && !/(^|\.)..--/.test(entry));
        return redirectHostProblem(entry) === null;
      }),
      { numRuns: 5000 },
    );
  });

  it.each(['portal.example.com', 'portal.example.com:8443', 'localhost', 'xn--bcher-kva.example'])(
    'matches %s, which the service accepts',
    (entry) => {
      expect(new RegExp(REDIRECT_HOST_PATTERN).test(entry)).toBe(true);
      expect(redirectHostProblem(entry)).toBeNull();
    },
  );

  it.each([
    'portal.example.com.',
    'example.123',
    'Portal.example',
    'portal.example:443',
    'a.example:0080',
    '127.0.0.1',
    '10.0.0.1:8443',
    'x.example:0',
  ])('does not match %s, which the service refuses', (entry) => {
    expect(new RegExp(REDIRECT_HOST_PATTERN).test(entry)).toBe(false);
    expect(redirectHostProblem(entry)).not.toBeNull();
  });

  it('accepts only entries it matches', () => {
    const hostish = fc.stringMatching(/^[a-z0-9.:-]{1,30}$/);
    fc.assert(
      fc.property(hostish, (entry) => {
        fc.pre(redirectHostProblem(entry) === null);
        return new RegExp(REDIRECT_HOST_PATTERN).test(entry);
      }),
      { numRuns: 20000 },
    );
  });
});
