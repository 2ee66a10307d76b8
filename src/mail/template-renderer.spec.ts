import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_TEMPLATES } from './default-templates.js';
import { EMAIL_EVENTS } from './email-template.entity.js';
import {
  checkTemplate,
  EVENT_PLACEHOLDERS,
  LINK_PLACEHOLDERS,
  PLACEHOLDERS,
  renderTemplate,
  TemplateError,
  type TemplateValues,
} from './template-renderer.js';

const values: TemplateValues = {
  user: { id: 'u-1', email: 'ann@example.com', firstName: '<b>Ann</b> & "co"', lastName: "O'Neil" },
  account: { name: 'Acme <Widgets>' },
  token: 'lk_rst_abc',
  link: 'https://portal.example.com/reset?a=1&b=2',
  expiresAt: new Date('2030-01-02T03:04:05Z'),
};

describe('renderTemplate', () => {
  it('HTML-escapes every value in HTML bodies', () => {
    const html = renderTemplate('<p>Hi {{user.firstName}} {{user.lastName}} of {{account.name}}</p>', 'html', values);
    expect(html).toBe('<p>Hi &lt;b&gt;Ann&lt;&#x2F;b&gt; &amp; &quot;co&quot; O&#39;Neil of Acme &lt;Widgets&gt;</p>');
  });

  it('escapes a link inside an attribute so it cannot close it', () => {
    const html = renderTemplate('<a href="{{link}}">x</a>', 'html', { ...values, link: 'https://a.test/"><script>' });
    expect(html).not.toContain('"><script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('leaves text bodies and subjects unescaped', () => {
    expect(renderTemplate('Hi {{user.firstName}}, {{link}}', 'text', values)).toBe(
      'Hi <b>Ann</b> & "co", https://portal.example.com/reset?a=1&b=2',
    );
    expect(renderTemplate('{{account.name}} reset', 'subject', values)).toBe('Acme <Widgets> reset');
  });

  it('removes line breaks from a subject (no header injection)', () => {
    const evil = { ...values, user: { ...values.user, firstName: 'x\r\nBcc: victim@example.com' } };
    const subject = renderTemplate('Hello {{user.firstName}}\n', 'subject', evil);
    expect(subject).toBe('Hello x Bcc: victim@example.com');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('percent-encodes values in a link', () => {
    const link = renderTemplate('https://p.test/r?e={{user.email}}#t={{token}}', 'link', {
      ...values,
      user: { ...values.user, email: 'a&b=c/@evil.test?#' },
    });
    expect(link).toBe('https://p.test/r?e=a%26b%3Dc%2F%40evil.test%3F%23#t=lk_rst_abc');
  });

  it('renders expiresAt as a UTC date and missing values as empty', () => {
    expect(renderTemplate('{{expiresAt}}', 'text', values)).toBe('Wed, 02 Jan 2030 03:04:05 GMT');
    expect(
      renderTemplate('[{{token}}][{{user.lastName}}]', 'text', {
        ...values,
        token: undefined,
        user: { ...values.user, lastName: null },
      }),
    ).toBe('[][]');
  });

  it('gives a template no way to reach a function or a prototype', () => {
    const probe =
      '{{user.constructor}}{{#user.constructor}}x{{/user.constructor}}{{user.email.constructor}}{{constructor}}{{__proto__}}';
    expect(renderTemplate(probe, 'text', values)).toBe('');
  });

  it('ignores partials even if a template were to contain one', () => {
    expect(renderTemplate('a{{>constructor}}b', 'text', values)).toBe('ab');
  });
});

describe('checkTemplate', () => {
  const all = PLACEHOLDERS;

  it('accepts every placeholder, sections over them and comments', () => {
    expect(() =>
      checkTemplate(
        `${all.map((p) => `{{${p}}}`).join(' ')} {{#user.firstName}}Hi {{.}}{{/user.firstName}}{{^user.lastName}}-{{/user.lastName}}{{! note }}`,
        'html',
        all,
      ),
    ).not.toThrow();
  });

  it.each([
    ['an unclosed tag', 'Hi {{user.firstName', /does not parse/],
    ['an unclosed section', '{{#user.firstName}}x', /does not parse/],
    ['an unknown placeholder', '{{user.password}}', /unknown placeholder \{\{user.password\}\}/],
    ['a prototype walk', '{{user.constructor.constructor}}', /unknown placeholder/],
    ['a partial', '{{> header}}', /partials/],
    ['a delimiter change', '{{=<% %>=}}<% token %>', /delimiter/],
    ['a bare dot outside a section', '{{.}}', /unknown placeholder/],
  ])('rejects %s', (_, template, message) => {
    expect(() => checkTemplate(template, 'text', all)).toThrow(TemplateError);
    expect(() => checkTemplate(template, 'text', all)).toThrow(message);
  });

  it('rejects unescaped values in HTML but allows them in text', () => {
    expect(() => checkTemplate('{{{user.firstName}}}', 'html', all)).toThrow(/unescaped/);
    expect(() => checkTemplate('{{& user.firstName}}', 'html', all)).toThrow(/unescaped/);
    expect(() => checkTemplate('{{{user.firstName}}}', 'text', all)).not.toThrow();
  });

  it('allows only plain tags in a link', () => {
    expect(() => checkTemplate('https://a.test/{{#token}}x{{/token}}', 'link', all)).toThrow(/sections/);
    expect(() => checkTemplate('https://a.test/{{{token}}}', 'link', all)).toThrow(/unescaped/);
  });

  it('keeps the token and link out of password-changed emails', () => {
    expect(() => checkTemplate('{{token}}', 'text', EVENT_PLACEHOLDERS['user.password-changed'])).toThrow(
      /unknown placeholder/,
    );
    expect(() => checkTemplate('{{link}}', 'text', EVENT_PLACEHOLDERS['user.password-changed'])).toThrow(
      /unknown placeholder/,
    );
  });

  it('allows {{cancelLink}} only in the reset email, never in a link', () => {
    expect(() =>
      checkTemplate('{{cancelLink}}', 'html', EVENT_PLACEHOLDERS['user.reset-password-request']),
    ).not.toThrow();
    expect(() => checkTemplate('{{cancelLink}}', 'text', EVENT_PLACEHOLDERS['user.password-changed'])).toThrow(
      /unknown placeholder/,
    );
    expect(() => checkTemplate('https://a.test/?c={{cancelLink}}', 'link', LINK_PLACEHOLDERS)).toThrow(
      /unknown placeholder/,
    );
  });

  describe('nested sections', () => {
    const nested = (levels: number) =>
      `{{#token}}${'{{#.}}'.repeat(levels - 1)}x{{.}}${'{{/.}}'.repeat(levels - 1)}{{/token}}`;

    it.each([33, 4000, 16_000])('refuses %i levels with a TemplateError, not a stack overflow', (levels) => {
      expect(() => checkTemplate(nested(levels), 'text', all)).toThrow(TemplateError);
      expect(() => checkTemplate(nested(levels), 'text', all)).toThrow(/nested more than 32 deep/);
    });

    it('refuses deep inverted sections too', () => {
      const inverted = `${'{{^token}}'.repeat(4000)}x${'{{/token}}'.repeat(4000)}`;
      expect(() => checkTemplate(inverted, 'html', all)).toThrow(/nested more than 32 deep/);
    });

    it('accepts and renders 32 levels', () => {
      expect(() => checkTemplate(nested(32), 'text', all)).not.toThrow();
      expect(renderTemplate(nested(32), 'text', values)).toBe('xlk_rst_abc');
    });
  });

  it.each(EMAIL_EVENTS)('accepts the built-in templates of %s', (event) => {
    const t = BUILT_IN_TEMPLATES[event];
    expect(() => checkTemplate(t.subject, 'subject', EVENT_PLACEHOLDERS[event])).not.toThrow();
    expect(() => checkTemplate(t.htmlBody, 'html', EVENT_PLACEHOLDERS[event])).not.toThrow();
    expect(() => checkTemplate(t.textBody, 'text', EVENT_PLACEHOLDERS[event])).not.toThrow();
  });
});
