import { describe, expect, it } from '@jest/globals';

import { parseWebhookUrl, webhookUrlProblem } from './webhook-url.js';

const longest = `https://hooks.example.com/${'a'.repeat(2048 - 'https://hooks.example.com/'.length)}`;

describe('webhookUrlProblem', () => {
  it.each([
    'https://hooks.example.com/latchkey',
    'https://hooks.example.com:8443/in?source=latchkey&x=1',
    'https://HOOKS.Example.com./in',
    'https://8.8.8.8/in',
    'https://[2606:4700:4700::1111]/in',
    'https://[::ffff:8.8.8.8]/in',
    'https://xn--bcher-kva.example/in',
    'https://bücher.example/in',
    longest,
  ])('accepts %s whether or not private networks are allowed', (url) => {
    expect(webhookUrlProblem(url, false)).toBeNull();
    expect(webhookUrlProblem(url, true)).toBeNull();
  });

  it.each([
    ['http://hooks.example.com/in', /https/],
    ['http://8.8.8.8/in', /https/],
    ['http://127.0.0.1:4300/in', /https/],
    ['ftp://hooks.example.com/in', /https/],
    ['javascript:alert(1)', /https/],
    ['file:///etc/passwd', /https/],
    ['https://user@hooks.example.com/in', /user name or password/],
    ['https://user:pass@hooks.example.com/in', /user name or password/],
    ['https://:pass@hooks.example.com/in', /user name or password/],
    ['https://hooks.example.com/in#part', /fragment/],
    ['https://hooks.example.com/in#', /fragment/],
    [`${longest}b`, /at most 2048/],
    ['hooks.example.com/in', /valid absolute URL/],
    ['/in', /valid absolute URL/],
    ['', /valid absolute URL/],
    ['https://', /valid absolute URL/],
    ['https://exa mple.com/', /valid absolute URL/],
    ['https://[::1/', /valid absolute URL/],
    ['https://hooks.example.com/a b', /spaces or control/],
    [' https://hooks.example.com/in', /spaces or control/],
    ['https://hooks.example.com/in\n', /spaces or control/],
    ['https://hooks.exa\tmple.com/in', /spaces or control/],
  ])('refuses %j whether or not private networks are allowed', (url, reason) => {
    expect(webhookUrlProblem(url, false)).toMatch(reason);
    expect(webhookUrlProblem(url, true)).toMatch(reason);
  });

  it('counts the length of what is delivered to, too', () => {
    // 2,040 characters that percent-encoding makes longer than 2,048.
    const url = `https://h.example/${'é'.repeat(1011)}`;
    expect(url.length).toBeLessThanOrEqual(2048);
    expect(webhookUrlProblem(url, true)).toMatch(/at most 2048/);
  });

  it.each([
    'https://localhost/in',
    'https://LOCALHOST:4300/in',
    'https://localhost./in',
    'https://portal.localhost/in',
    'https://a.b.localhost/in',
    'http://localhost:4300/in',
    'http://portal.localhost:4300/in',
    'https://127.0.0.1/in',
    'https://127.1.2.3:4300/in',
    'https://0x7f.1/in',
    'https://2130706433/in',
    'https://0177.0.0.1/in',
    'https://[::1]/in',
    'https://[::]/in',
    'https://0.0.0.0/in',
    'https://10.0.0.1/in',
    'https://172.16.5.4/in',
    'https://192.168.1.1/in',
    'https://100.64.0.1/in',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/',
    'https://[fe80::1]/in',
    'https://[fc00::1]/in',
    'https://224.0.0.1/in',
    'https://[::ffff:127.0.0.1]/in',
    'https://[::ffff:10.0.0.1]/in',
    'https://[64:ff9b::7f00:1]/in',
    'https://[2002:7f00:1::]/in',
    'https://[2001::1]/in',
    'https://192.0.2.1/in',
  ])('refuses %s only when private networks are not allowed', (url) => {
    expect(webhookUrlProblem(url, false)).toMatch(/must not point to/);
    expect(webhookUrlProblem(url, true)).toBeNull();
  });

  it('allows plain http to localhost only, and only when private networks are allowed', () => {
    expect(webhookUrlProblem('http://localhost:4300/in', true)).toBeNull();
    expect(webhookUrlProblem('http://localhost:4300/in', false)).toMatch(/localhost/);
    expect(webhookUrlProblem('http://127.0.0.1:4300/in', true)).toMatch(/https/);
    expect(webhookUrlProblem('http://[::1]:4300/in', true)).toMatch(/https/);
    expect(webhookUrlProblem('http://localhost.example.com/in', true)).toMatch(/https/);
    expect(webhookUrlProblem('http://notlocalhost/in', true)).toMatch(/https/);
  });

  it('accepts host names without resolving them: their addresses are checked at delivery', () => {
    expect(webhookUrlProblem('https://localtest.me/in', false)).toBeNull();
    expect(webhookUrlProblem('https://metadata.google.internal/in', false)).toBeNull();
    expect(webhookUrlProblem('https://localhost.example.com/in', false)).toBeNull();
  });
});

describe('parseWebhookUrl', () => {
  it('gives the host as a connection would see it', () => {
    expect(parseWebhookUrl('https://0x7f.1:4300/x')).toMatchObject({ hostname: '127.0.0.1', ipLiteral: true });
    expect(parseWebhookUrl('https://[::FFFF:127.0.0.1]/x')).toMatchObject({
      hostname: '::ffff:7f00:1',
      ipLiteral: true,
    });
    expect(parseWebhookUrl('https://Hooks.Example.com/x')).toMatchObject({
      hostname: 'hooks.example.com',
      ipLiteral: false,
      localhost: false,
      formProblem: null,
    });
    expect(parseWebhookUrl('http://a.localhost/x')).toMatchObject({ localhost: true, formProblem: null });
    expect(parseWebhookUrl('http://10.0.0.1/x')).toMatchObject({
      ipLiteral: true,
      formProblem: expect.stringMatching(/https/),
    });
  });
});
