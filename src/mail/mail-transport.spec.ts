import { describe, expect, it } from '@jest/globals';
import { SystemClock } from '../common/clock.js';
import { fromAddressOf, SmtpTransport } from './mail-transport.js';

describe('fromAddressOf', () => {
  it.each([
    ['Latchkey <no-reply@example.com>', 'no-reply@example.com'],
    ['"Acme, Inc." <mail@acme.test> ', 'mail@acme.test'],
    ['bare@example.com', 'bare@example.com'],
  ])('%s → %s', (from, address) => expect(fromAddressOf(from)).toBe(address));
});

describe('SmtpTransport', () => {
  it.each(['smtp://127.0.0.1:2525', 'smtps://user:pass@mail.example.com:465'])('accepts %s', (url) => {
    expect(() => new SmtpTransport(url, 'a@b.test', new SystemClock())).not.toThrow();
  });

  it.each(['http://mail.example.com', 'mail.example.com:25', ''])('refuses %p', (url) => {
    expect(() => new SmtpTransport(url, 'a@b.test', new SystemClock())).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});
