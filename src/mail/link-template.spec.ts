import { describe, expect, it } from '@jest/globals';
import { builtInLinkTemplate, type LinkPolicy, linkTemplateProblems, renderLink } from './link-template.js';
import { redirectHostProblem } from '../accounts/redirect-hosts.js';

const policy: LinkPolicy = {
  allowedHosts: ['good.com', 'portal.example.com:8443', 'localhost'],
  portalUrl: 'https://latchkey.example.net',
};
const values = {
  user: { id: 'u-1', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' },
  account: { name: 'Acme' },
  token: 'lk_rst_abc',
};

describe('linkTemplateProblems', () => {
  it.each([
    'https://good.com/reset?user={{user.id}}#token={{token}}',
    'https://good.com/r/{{user.email}}/{{user.firstName}}-{{user.lastName}}?a={{account.name}}#{{token}}',
    'https://good.com/{{token}}{{user.id}}?a={{token}}&b={{user.id}}#{{token}}',
    'https://portal.example.com:8443/reset#{{token}}',
    'https://latchkey.example.net/reset-password?userId={{user.id}}#token={{token}}',
    'http://localhost/reset#{{token}}',
  ])('accepts %s', (template) => {
    expect(linkTemplateProblems(template, policy)).toEqual([]);
  });

  it.each([
    'https://good.com/no-placeholders',
    'https://good.com/r/{{user.id}}?a={{account.name}}',
    'https://good.com/reset#token=',
  ])('refuses %s: a reset link must carry {{token}}', (template) => {
    expect(linkTemplateProblems(template, policy)).toEqual(['must contain {{token}}']);
  });

  it.each([
    ['a placeholder in the host', 'https://{{user.email}}.evil.com/#{{token}}', /never in the scheme, host or port/],
    ['a placeholder making the host', 'https://{{token}}/', /never in the scheme, host or port/],
    ['a placeholder as a host suffix', 'https://good.com{{token}}/', /never in the scheme, host or port/],
    ['a placeholder in the port', 'https://good.com:{{token}}/', /absolute URL|host or port/],
    ['a placeholder in the user info', 'https://{{token}}@good.com/', /user info|host or port/],
    ['user info before another host', 'https://good.com@evil.com/#{{token}}', /user info/],
    ['user info with a password', 'https://good.com:x@evil.com/#{{token}}', /user info/],
    ['a javascript: URL', 'javascript:alert(document.cookie)//{{token}}', /must start with https/],
    ['a data: URL', 'data:text/html,{{token}}', /must start with https/],
    ['plain http to another host', 'http://good.com/reset#{{token}}', /https URL/],
    ['a host not allowed', 'https://evil.com/reset#{{token}}', /not in the account's allowedRedirectHosts/],
    ['a look-alike host', 'https://good.com.evil.com/reset#{{token}}', /not in the account's allowedRedirectHosts/],
    [
      'the wrong port of a host:port entry',
      'https://portal.example.com:9999/#{{token}}',
      /not in the account's allowedRedirectHosts/,
    ],
    [
      'the portal host on another port',
      'https://latchkey.example.net:8080/#{{token}}',
      /not in the account's allowedRedirectHosts/,
    ],
    ['a protocol-relative URL', '//good.com/{{token}}', /must start with https/],
    ['a placeholder as the scheme', '{{token}}://good.com/', /must start with https/],
    ['a tab hidden in the URL', 'https://good.com/\treset', /spaces or control/],
    ['a newline hidden in the URL', 'https://evil.com\n.good.com/', /spaces or control/],
    ['a partial', 'https://good.com/{{>x}}', /partials|< or >/],
    ['a section', 'https://good.com/{{#token}}{{/token}}', /sections/],
    ['an unescaped value', 'https://good.com/{{{token}}}', /unescaped/],
    ['the link itself', 'https://good.com/{{link}}', /unknown placeholder/],
    ['an unknown placeholder', 'https://good.com/{{user.password}}', /unknown placeholder/],
    ['a template that does not parse', 'https://good.com/{{token', /does not parse/],
    ['no URL at all', 'reset-here', /must start with https/],
    ['a backslash another parser reads as user info', 'https://good.com\\@evil.example/r#{{token}}', /backslashes/],
    ['a backslash as a path separator', 'https://good.com\\r#{{token}}', /backslashes/],
    ['a zero-width space', 'https://good.com/\u200breset#{{token}}', /format characters/],
    ['a zero-width joiner in the host', 'https://goo\u200dd.com/reset#{{token}}', /format characters/],
    ['a bidi override', 'https://good.com/\u202ereset#{{token}}', /format characters/],
    ['a quote and a tag', 'https://good.com/r?t={{token}}"><script>alert(1)</script>', /quotes, < or >/],
    ['a single quote', "https://good.com/r?t={{token}}'onmouseover=x", /quotes/],
    ['a non-breaking space', 'https://good.com/\u00a0r#{{token}}', /spaces/],
  ])('rejects %s', (_, template, message) => {
    const problems = linkTemplateProblems(template, policy);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('; ')).toMatch(message);
  });

  it.each([
    ['an upper-case host', 'https://GOOD.com/r?t={{token}}', 'https://good.com/r?t={{token}}'],
    ['a default port', 'https://good.com:443/r#{{token}}', 'https://good.com/r#{{token}}'],
    ['a U-label host', 'https://bücher.example/r#{{token}}', 'https://xn--bcher-kva.example/r#{{token}}'],
    ['a dot segment', 'https://good.com/a/../r#{{token}}', 'https://good.com/r#{{token}}'],
    ['a raw non-ASCII path', 'https://good.com/é?t={{token}}', 'https://good.com/%C3%A9?t={{token}}'],
    ['no path', 'https://good.com?t={{token}}', 'https://good.com/?t={{token}}'],
  ])('rejects %s and shows the serialised form', (_, template, serialised) => {
    expect(
      linkTemplateProblems(template, { ...policy, allowedHosts: [...policy.allowedHosts, 'xn--bcher-kva.example'] }),
    ).toContain(`must be written in its serialised form: ${serialised}`);
    expect(
      linkTemplateProblems(serialised, { ...policy, allowedHosts: [...policy.allowedHosts, 'xn--bcher-kva.example'] }),
    ).toEqual([]);
  });

  it('rejects a template that is too long', () => {
    expect(linkTemplateProblems(`https://good.com/${'a'.repeat(2100)}`, policy)).toEqual([
      'must be at most 2048 characters',
    ]);
  });

  it('allows the portal host even with no allowed hosts', () => {
    expect(linkTemplateProblems('https://latchkey.example.net/x#{{token}}', { ...policy, allowedHosts: [] })).toEqual(
      [],
    );
    expect(linkTemplateProblems('https://good.com/x', { ...policy, allowedHosts: [] })).not.toEqual([]);
  });
});

describe('redirectHostProblem', () => {
  it.each(['portal.acme.example', 'localhost', 'portal.example.com:8443', 'xn--bcher-kva.example'])(
    'accepts %s',
    (entry) => expect(redirectHostProblem(entry)).toBeNull(),
  );

  it.each([
    ['Portal.Example', /written as portal.example/],
    ['bücher.example', /written as xn--bcher-kva.example/],
    ['good.com:443', /written as good.com$/],
    ['https://with-scheme.example', /no scheme, path or user info/],
    ['x@evil.example', /no scheme, path or user info/],
    ['evil.example\\good.com', /no scheme, path or user info/],
    ['a_b.example', /A-labels/],
    ['good.com.', /A-labels/],
    ['good.com:99999', /host name/],
    ['192.0.2.1', /last label starts with a letter/],
    ['good.com:0', /port from 1 to 65535/],
    ['a%b.example', /host name/],
    ['', /host name/],
  ])('rejects %p', (entry, message) => expect(redirectHostProblem(entry)).toMatch(message));
});

describe('renderLink', () => {
  it('percent-encodes values so they cannot leave the path, query or fragment', () => {
    const link = renderLink('https://good.com/r/{{user.email}}?n={{user.firstName}}#{{token}}', {
      ...values,
      user: { ...values.user, email: '@evil.com/x', firstName: 'a b&c=d#e' },
    });
    expect(link).toBe('https://good.com/r/%40evil.com%2Fx?n=a%20b%26c%3Dd%23e#lk_rst_abc');
    expect(new URL(link).host).toBe('good.com');
  });

  it('builds the built-in link with the token in the fragment', () => {
    const link = renderLink(builtInLinkTemplate('https://latchkey.example.net'), values);
    expect(link).toBe('https://latchkey.example.net/reset-password?userId=u-1#token=lk_rst_abc');
  });
});
