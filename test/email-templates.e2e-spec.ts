import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Account } from '../src/accounts/account.entity.js';
import { MailService } from '../src/mail/mail.service.js';
import { User } from '../src/users/user.entity.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, signUp, type SignedUp } from './helpers/factories.js';
import { openedEmail } from './helpers/outbox-rows.js';

const RESET = 'user.reset-password-request';
const CHANGED = 'user.password-changed';
const EMAIL_CHANGED = 'user.email-changed';
const PORTAL_HOST = 'portal.acme.test';

describe('email templates', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let writePat: string;
  let readPat: string;
  const base = (s: SignedUp = a) => `/v3/accounts/${s.account.id}/email-templates`;
  const adminA = () => bearer(a.accessToken);

  beforeAll(async () => {
    // A body limit above the templates' own 100 KiB, so that limit is what answers.
    t = await createTestApp({ OUTBOX_WORKER: 'off', BODY_LIMIT_BYTES: String(512 * 1024) });
    a = await signUp(t, { name: 'Acme Widgets' });
    b = await signUp(t, { name: 'Beta Corp' });
    writePat = (await createPat(t, a.accessToken, ['account:write'])).token;
    readPat = (await createPat(t, a.accessToken, ['account:read'])).token;
    const res = await api(t)
      .patch(`/v3/accounts/${a.account.id}`)
      .set(adminA())
      .send({ allowedRedirectHosts: [PORTAL_HOST] });
    expect(res.status).toBe(200);
  }, 120_000);
  afterAll(async () => t?.close());

  describe('authorization', () => {
    it('is 400 for a malformed account id and 404 for an unknown event', async () => {
      const bad = await api(t).get('/v3/accounts/not-a-uuid/email-templates').set(adminA());
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const unknown = await api(t).put(`${base()}/user.deleted`).set(adminA()).send({ subject: 'x', textBody: 'y' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect((await api(t).post(`${base()}/nope/preview`).set(adminA()).send({})).status).toBe(404);
    });
  });

  describe('list', () => {
    it('has the built-in template of each event', async () => {
      const res = await api(t).get(base(b)).set(bearer(b.accessToken));
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.body.map((x: { event: string }) => x.event)).toEqual([RESET, CHANGED, EMAIL_CHANGED]);
      const reset = res.body[0];
      expect(reset).toMatchObject({
        isDefault: true,
        locale: null,
        subject: expect.stringContaining('{{account.name}}'),
        htmlBody: expect.stringContaining('{{link}}'),
        textBody: expect.stringContaining('{{link}}'),
        linkTemplate: 'http://localhost:3000/reset-password?userId={{user.id}}#token={{token}}',
        createdAt: null,
      });
      expect(res.body[1].linkTemplate).toBeNull();
    });
  });

  describe('put', () => {
    it('answers 200 to each of concurrent PUTs of a new event and locale: the last one wins', async () => {
      const c = await signUp(t);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          api(t)
            .put(`/v3/accounts/${c.account.id}/email-templates/user.password-changed`)
            .set(bearer(c.accessToken))
            .send({ locale: 'fr', subject: `Sujet ${i}`, textBody: 'Bonjour' }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(6).fill(200));
      const list = await api(t).get(`/v3/accounts/${c.account.id}/email-templates`).set(bearer(c.accessToken));
      const saved = (list.body as { event: string; locale: string | null; subject: string }[]).filter(
        (x) => x.event === 'user.password-changed' && x.locale === 'fr',
      );
      expect(saved).toHaveLength(1);
    });

    it('creates, then replaces, the template of an event and locale', async () => {
      const created = await api(t)
        .put(`${base()}/${CHANGED}`)
        .set(adminA())
        .send({ locale: 'DE', subject: 'Passwort geändert', textBody: 'Hallo {{user.firstName}}', fromName: 'Acme' });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({
        event: CHANGED,
        locale: 'de',
        subject: 'Passwort geändert',
        htmlBody: null,
        textBody: 'Hallo {{user.firstName}}',
        fromName: 'Acme',
        replyTo: null,
        linkTemplate: null,
        isDefault: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const replaced = await api(t)
        .put(`${base()}/${CHANGED}`)
        .set(adminA())
        .send({ locale: 'de', subject: 'Neu', htmlBody: '<p>{{user.firstName}}</p>', replyTo: 'help@acme.test' });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ locale: 'de', subject: 'Neu', textBody: null, fromName: null });
      expect(replaced.body.replyTo).toBe('help@acme.test');

      const list = await api(t).get(base()).set(bearer(readPat));
      const saved = list.body.filter((x: { event: string; isDefault: boolean }) => x.event === CHANGED && !x.isDefault);
      expect(saved).toHaveLength(1);
      expect(saved[0].subject).toBe('Neu');
      expect(list.body.filter((x: { isDefault: boolean }) => x.isDefault)).toHaveLength(3);

      const events = await api(t).get('/v3/event-logs?action=emailTemplate.updated').set(adminA());
      expect(events.status).toBe(200);
      expect(events.body.length).toBeGreaterThanOrEqual(2);
      expect(events.body[0].data).toMatchObject({ event: CHANGED, locale: 'de' });
      expect(JSON.stringify(events.body)).not.toContain('{{user.firstName}}');
    });

    it.each([
      ['no subject', { textBody: 'x' }, 'subject'],
      ['no body', { subject: 'x' }, 'htmlBody'],
      ['a subject over 200 characters', { subject: 'x'.repeat(201), textBody: 'x' }, 'subject'],
      ['a body over 100 KiB', { subject: 'x', textBody: 'x'.repeat(102_401) }, 'textBody'],
      ['a malformed locale', { locale: 'german!', subject: 'x', textBody: 'x' }, 'locale'],
      ['an invalid locale', { locale: 'en-a', subject: 'x', textBody: 'x' }, 'locale'],
      ['a bad replyTo', { subject: 'x', textBody: 'x', replyTo: 'nope' }, 'replyTo'],
      ['a line break in fromName', { subject: 'x', textBody: 'x', fromName: 'A\r\nBcc: x@evil.test' }, 'fromName'],
      ['a line break in the subject', { subject: 'a\r\nBcc: x@evil.test', textBody: 'x' }, 'subject'],
      ['a tab in the subject', { subject: 'a\tb', textBody: 'x' }, 'subject'],
      ['a C1 control in the subject', { subject: 'a\u0085b', textBody: 'x' }, 'subject'],
      ['a line separator in the subject', { subject: 'a\u2028Bcc: x@evil.test', textBody: 'x' }, 'subject'],
      ['a paragraph separator in the subject', { subject: 'a\u2029b', textBody: 'x' }, 'subject'],
      ['an unknown field', { subject: 'x', textBody: 'x', isDefault: true }, 'isDefault'],
      ['a template that does not parse', { subject: 'x', htmlBody: '<p>{{user.firstName</p>' }, 'htmlBody'],
      ['an unknown placeholder', { subject: '{{user.passwordHash}}', textBody: 'x' }, 'subject'],
      ['a partial', { subject: 'x', textBody: '{{> secrets}}' }, 'textBody'],
      ['an unescaped value in HTML', { subject: 'x', htmlBody: '{{{user.firstName}}}' }, 'htmlBody'],
      ['a token in a password-changed email', { subject: 'x', textBody: '{{token}}' }, 'textBody'],
      [
        'a link in a password-changed template',
        { subject: 'x', textBody: 'x', linkTemplate: 'https://portal.acme.test/#{{token}}' },
        'linkTemplate',
      ],
    ])('is 400 VALIDATION_FAILED for %s', async (_, body, field) => {
      const res = await api(t).put(`${base()}/${CHANGED}`).set(adminA()).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('linkTemplate', () => {
    const link = `https://${PORTAL_HOST}/reset?u={{user.id}}#t={{token}}`;

    it('an admin session sets it on an allowed host', async () => {
      const res = await api(t)
        .put(`${base()}/${RESET}`)
        .set(adminA())
        .send({ subject: 'Reset', textBody: '{{link}}', linkTemplate: link });
      expect(res.status).toBe(200);
      expect(res.body.linkTemplate).toBe(link);
    });

    it('may carry the expiry, and the issued link has it percent-encoded', async () => {
      const c = await signUp(t);
      await api(t)
        .patch(`/v3/accounts/${c.account.id}`)
        .set(bearer(c.accessToken))
        .send({ allowedRedirectHosts: [PORTAL_HOST] })
        .expect(200);
      const withExpiry = `https://${PORTAL_HOST}/reset?exp={{expiresAt}}#t={{token}}`;
      const put = await api(t)
        .put(`${base(c)}/${RESET}`)
        .set(bearer(c.accessToken))
        .send({ subject: 'Reset', textBody: '{{link}}', linkTemplate: withExpiry });
      expect({ status: put.status, details: put.body.details }).toEqual({ status: 200, details: undefined });
      const user = await createUser(t, c.accessToken);
      const issued = await api(t)
        .post(`/v3/users/${user.id}/reset-password-token`)
        .set(bearer(c.accessToken))
        .send({})
        .expect(201);
      const expiry = encodeURIComponent(new Date(issued.body.expiresAt).toUTCString());
      expect(issued.body.link).toBe(`https://${PORTAL_HOST}/reset?exp=${expiry}#t=${issued.body.resetPasswordToken}`);
    });

    it('refuses placeholders written with spaces, in every field', async () => {
      for (const body of [
        { subject: 'Hi {{ user.firstName }}', textBody: 'x' },
        { subject: 'Hi', textBody: 'id={{user.id }}' },
        { subject: 'Hi', htmlBody: '<p>{{ account.name}}</p>' },
        { subject: 'Hi', textBody: '{{# user.firstName}}x{{/user.firstName}}' },
      ]) {
        const res = await api(t).put(`${base()}/${CHANGED}`).set(adminA()).send(body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    });

    it('a PAT with account:write may not edit the template, its link or anything else', async () => {
      const same = await api(t)
        .put(`${base()}/${RESET}`)
        .set(adminA())
        .send({ subject: 'Reset now', textBody: '{{link}}', linkTemplate: link });
      expect(same.status).toBe(200);
      expect(same.body.subject).toBe('Reset now');

      for (const body of [
        { subject: 'Reset now, really', textBody: '{{link}}', linkTemplate: link },
        { subject: 'x', textBody: '{{link}}', linkTemplate: `https://${PORTAL_HOST}/other#{{token}}` },
        { subject: 'x', textBody: '{{link}}' },
      ]) {
        const res = await api(t).put(`${base()}/${RESET}`).set(bearer(writePat)).send(body);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const del = await api(t).delete(`${base()}/${RESET}`).set(bearer(writePat));
      expect(del.status).toBe(403);
      expect(del.body.code).toBe('FORBIDDEN');

      const list = await api(t).get(base()).set(adminA());
      const saved = list.body.find((x: { event: string; isDefault: boolean }) => x.event === RESET && !x.isDefault);
      expect(saved).toMatchObject({ subject: 'Reset now', linkTemplate: link });
    });

    it('a PAT cannot add a link to a new template either', async () => {
      const res = await api(t)
        .put(`${base()}/${RESET}`)
        .set(bearer(writePat))
        .send({ locale: 'fr', subject: 'x', textBody: 'x', linkTemplate: link });
      expect(res.status).toBe(403);
    });

    it.each([
      ['a host not allowed', 'https://evil.test/reset#{{token}}'],
      ['a placeholder in the host', 'https://{{user.email}}.evil.com/'],
      ['a placeholder before an allowed host', `https://{{token}}.${PORTAL_HOST}/`],
      ['user info before another host', `https://${PORTAL_HOST}@evil.com/`],
      ['plain http', `http://${PORTAL_HOST}/reset#{{token}}`],
      ['javascript:', 'javascript:alert(1)//{{token}}'],
      ['an unknown placeholder', `https://${PORTAL_HOST}/{{user.role}}`],
    ])('is 400 for %s', async (_, linkTemplate) => {
      const res = await api(t)
        .put(`${base()}/${RESET}`)
        .set(adminA())
        .send({ locale: 'it', subject: 'x', textBody: 'x', linkTemplate });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details[0].field).toBe('linkTemplate');
    });

    it.each([
      ['a backslash before an @', `https://${PORTAL_HOST}\\@evil.example/r#{{token}}`],
      ['a zero-width space', `https://${PORTAL_HOST}/\u200breset#{{token}}`],
      ['a zero-width joiner in the host', `https://portal.acme\u200d.test/reset#{{token}}`],
      ['an attribute break-out', `https://${PORTAL_HOST}/r?t={{token}}"><script>alert(1)</script>`],
      ['a space', `https://${PORTAL_HOST}/r t#{{token}}`],
    ])('is 400 for %s, and nothing is saved', async (_, linkTemplate) => {
      const res = await api(t)
        .put(`${base()}/${RESET}`)
        .set(adminA())
        .send({ locale: 'it', subject: 'x', textBody: 'x', linkTemplate });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details[0]).toEqual({ field: 'linkTemplate', message: expect.any(String) });
      const preview = await api(t).post(`${base()}/${RESET}/preview`).set(adminA()).send({ linkTemplate });
      expect(preview.status).toBe(400);
      const list = await api(t).get(base()).set(adminA());
      expect(list.body.filter((x: { locale: string | null }) => x.locale === 'it')).toEqual([]);
    });

    it('is 400 unless written in its WHATWG-serialised form, with that form in details', async () => {
      for (const [written, serialised] of [
        [`https://PORTAL.Acme.test/reset#{{token}}`, `https://${PORTAL_HOST}/reset#{{token}}`],
        [`https://${PORTAL_HOST}:443/reset#{{token}}`, `https://${PORTAL_HOST}/reset#{{token}}`],
        [`https://${PORTAL_HOST}?t={{token}}`, `https://${PORTAL_HOST}/?t={{token}}`],
      ]) {
        const res = await api(t)
          .put(`${base()}/${RESET}`)
          .set(adminA())
          .send({ locale: 'it', subject: 'x', textBody: 'x', linkTemplate: written });
        expect(res.status).toBe(400);
        expect(res.body.details).toContainEqual({
          field: 'linkTemplate',
          message: `linkTemplate must be written in its serialised form: ${serialised}`,
        });
        const fixed = await api(t)
          .put(`${base()}/${RESET}`)
          .set(adminA())
          .send({ locale: 'it', subject: 'x', textBody: 'x', linkTemplate: serialised });
        expect(fixed.status).toBe(200);
        expect(fixed.body.linkTemplate).toBe(serialised);
      }
      await api(t).delete(`${base()}/${RESET}?locale=it`).set(adminA()).expect(204);
    });

    it('allowedRedirectHosts take lower-case A-label host names, optionally with a port', async () => {
      const patch = (hosts: string[]) =>
        api(t).patch(`/v3/accounts/${b.account.id}`).set(bearer(b.accessToken)).send({ allowedRedirectHosts: hosts });
      for (const [entry, message] of [
        ['bücher.example', /xn--bcher-kva\.example/],
        ['portal.example:443', /written as portal\.example$/],
        ['https://portal.example', /no scheme/],
        ['portal.example/path', /no scheme/],
        ['portal_example.test', /A-labels/],
        ['Portal.example', /written as portal\.example$/],
        ['Localhost', /written as localhost$/],
      ] as const) {
        const res = await patch([entry]);
        expect(res.status).toBe(400);
        expect(res.body.details).toContainEqual({
          field: 'allowedRedirectHosts',
          message: expect.stringMatching(message),
        });
      }
      const twice = await patch(['portal.example', 'portal.example']);
      expect(twice.status).toBe(400);
      expect(twice.body.details).toEqual([
        { field: 'allowedRedirectHosts', message: "All allowedRedirectHosts's elements must be unique" },
      ]);
      const ok = await patch(['xn--bcher-kva.example', 'portal.example:8443', 'localhost']);
      expect(ok.status).toBe(200);
      expect(ok.body.allowedRedirectHosts).toEqual(['xn--bcher-kva.example', 'portal.example:8443', 'localhost']);
      await patch([]).expect(200);
    });

    it('accepts the portal host without it being allowed, and localhost over http', async () => {
      const res = await api(t)
        .put(`${base(b)}/${RESET}`)
        .set(bearer(b.accessToken))
        .send({ subject: 'x', textBody: '{{link}}', linkTemplate: 'http://localhost:3000/mine#{{token}}' });
      expect(res.status).toBe(200);
      const other = await api(t)
        .put(`${base(b)}/${RESET}`)
        .set(bearer(b.accessToken))
        .send({ subject: 'x', textBody: '{{link}}', linkTemplate: `https://${PORTAL_HOST}/#{{token}}` });
      expect(other.status).toBe(400);
    });
  });

  describe('delete', () => {
    it('is 204 for a saved template, then 404', async () => {
      await api(t).put(`${base()}/${CHANGED}`).set(adminA()).send({ locale: 'nl', subject: 'x', textBody: 'y' });
      const res = await api(t).delete(`${base()}/${CHANGED}?locale=nl`).set(adminA());
      expect(res.status).toBe(204);
      const again = await api(t).delete(`${base()}/${CHANGED}?locale=nl`).set(adminA());
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('NOT_FOUND');
      const list = await api(t).get(base()).set(adminA());
      expect(list.body.some((x: { locale: string | null }) => x.locale === 'nl')).toBe(false);
    });

    it('is 404 when nothing is saved, 400 for a malformed locale', async () => {
      expect((await api(t).delete(`${base()}/${CHANGED}`).set(adminA())).status).toBe(404);
      const bad = await api(t).delete(`${base()}/${CHANGED}?locale=%3Cx%3E`).set(adminA());
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });

    it('is 400 for an empty, repeated or mistyped locale, and deletes nothing', async () => {
      await api(t).put(`${base()}/${CHANGED}`).set(adminA()).send({ locale: 'da', subject: 'x', textBody: 'y' });
      await api(t).put(`${base()}/${CHANGED}`).set(adminA()).send({ subject: 'no locale', textBody: 'y' });
      for (const query of ['?locale=', '?locale=da&locale=fr', '?locale=da&locale=da', '?lcoale=da', '?locale[]=da']) {
        const res = await api(t).delete(`${base()}/${CHANGED}${query}`).set(adminA());
        expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      }
      await api(t).delete(`${base()}/${CHANGED}?locale=da`).set(adminA()).expect(204);
      await api(t).delete(`${base()}/${CHANGED}`).set(adminA()).expect(204);
    });
  });

  describe('preview', () => {
    it('renders the built-in template with sample data', async () => {
      expect(
        (
          await api(t)
            .delete(`${base(b)}/${RESET}`)
            .set(bearer(b.accessToken))
        ).status,
      ).toBe(204);
      const res = await api(t)
        .post(`${base(b)}/${RESET}/preview`)
        .set(bearer(b.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.subject).toBe('Reset your Beta Corp password');
      expect(res.body.link).toMatch(
        /^http:\/\/localhost:3000\/reset-password\?userId=00000000-0000-4000-8000-000000000000#token=lk_rst_\w+$/,
      );
      expect(res.body.text).toContain(res.body.link);
      expect(res.body.html).toContain('Hello Jane');
    });

    it('renders the saved template, with the changes given over it', async () => {
      const saved = await api(t).post(`${base()}/${RESET}/preview`).set(bearer(readPat)).send({});
      expect(saved.status).toBe(200);
      expect(saved.body.subject).toBe('Reset now');
      expect(saved.body.html).toBeNull();
      expect(new URL(saved.body.link).host).toBe(PORTAL_HOST);
      expect(saved.body.text).toBe(saved.body.link);

      const changed = await api(t)
        .post(`${base()}/${RESET}/preview`)
        .set(bearer(readPat))
        .send({
          subject: 'Hi {{user.firstName}}',
          htmlBody: '<a href="{{link}}">{{account.name}}</a>',
          linkTemplate: `https://${PORTAL_HOST}/new?e={{user.email}}#{{token}}`,
        });
      expect(changed.status).toBe(200);
      expect(changed.body.subject).toBe('Hi Jane');
      expect(changed.body.link).toMatch(
        new RegExp(`^https://${PORTAL_HOST.replace(/\./g, '\\.')}/new\\?e=jane\\.doe%40example\\.com#`),
      );
      expect(changed.body.html).toContain('>Acme Widgets</a>');
      expect(changed.body.text).toBe(changed.body.link);
    });

    it('rejects invalid changes with 400', async () => {
      for (const body of [
        { htmlBody: '{{#user.firstName}}' },
        { linkTemplate: 'https://{{user.email}}.evil.com/' },
        { locale: 'no such locale' },
        { subject: 'Hi\n{{user.firstName}}' },
      ]) {
        const res = await api(t).post(`${base()}/${RESET}/preview`).set(bearer(readPat)).send(body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('is 400 for sections nested too deep (no stack overflow), and renders a normal nested section', async () => {
      const hostile = `{{#token}}${'{{#.}}'.repeat(4000)}x${'{{/.}}'.repeat(4000)}{{/token}}`;
      const res = await api(t).post(`${base()}/${RESET}/preview`).set(bearer(readPat)).send({ textBody: hostile });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        { field: 'textBody', message: expect.stringMatching(/nested more than 32 deep/) },
      ]);

      const nested = await api(t)
        .post(`${base()}/${RESET}/preview`)
        .set(bearer(readPat))
        .send({ textBody: '{{#user.firstName}}{{#.}}Hi {{.}}{{/.}}{{/user.firstName}}' });
      expect(nested.status).toBe(200);
      expect(nested.body.text).toBe('Hi Jane');
    });

    it('has no link for a password-changed email', async () => {
      const res = await api(t).post(`${base()}/${CHANGED}/preview`).set(adminA()).send({});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ subject: 'Your Acme Widgets password was changed', link: null });
      expect(res.body.html).toContain('Hello Jane');
    });
  });

  describe('template selection', () => {
    let mail: MailService;
    let dataSource: DataSource;
    let account: Account;
    let c: SignedUp;
    const subjectOf = async (user: User): Promise<string> => {
      const id = await dataSource.transaction((m) =>
        mail.enqueue({ event: RESET, account, user, token: 'lk_rst_x', expiresAt: new Date() }, m),
      );
      const [row] = await dataSource.query(`SELECT id, payload FROM outbox WHERE id = $1`, [id]);
      return openedEmail(t, row).subject;
    };
    const userWith = async (locale: string | null): Promise<User> => {
      const created = await createUser(t, c.accessToken, locale ? { locale } : {});
      return dataSource.getRepository(User).findOneByOrFail({ id: created.id });
    };

    beforeAll(async () => {
      mail = t.app.get(MailService);
      dataSource = t.app.get(DataSource);
      // A fresh account: locale '' (account default) and 'de', nothing else.
      c = await signUp(t, { name: 'Gamma' });
      await api(t)
        .patch(`/v3/accounts/${c.account.id}`)
        .set(bearer(c.accessToken))
        .send({ allowedRedirectHosts: [PORTAL_HOST] });
      account = await dataSource.getRepository(Account).findOneByOrFail({ id: c.account.id });
      const put = (body: object) =>
        api(t)
          .put(`${base(c)}/${RESET}`)
          .set(bearer(c.accessToken))
          .send(body);
      expect(
        (
          await put({
            subject: 'Default {{user.firstName}}',
            textBody: '{{link}}',
            linkTemplate: `https://${PORTAL_HOST}/d#{{token}}`,
          })
        ).status,
      ).toBe(200);
      expect((await put({ locale: 'de', subject: 'Hallo {{user.firstName}}', textBody: '{{link}}' })).status).toBe(200);
    });

    // The queued emails would otherwise wait for the next suite's worker on a shared database.
    afterAll(async () => {
      await dataSource.query(`DELETE FROM outbox WHERE account_id = $1`, [c.account.id]);
    });

    it("uses the user's locale, then its language, then the account default", async () => {
      expect(await subjectOf(await userWith('de'))).toBe('Hallo Uma');
      expect(await subjectOf(await userWith('de-AT'))).toBe('Hallo Uma');
      expect(await subjectOf(await userWith('fr'))).toBe('Default Uma');
      expect(await subjectOf(await userWith(null))).toBe('Default Uma');
    });

    it("takes the link from the account default when the locale's template has none", async () => {
      const user = await userWith('de');
      expect(await mail.resetLink(account, user, 'lk_rst_x')).toBe(`https://${PORTAL_HOST}/d#lk_rst_x`);
    });

    it('stops using a saved link whose host is no longer allowed', async () => {
      const user = await userWith(null);
      const patch = (hosts: string[]) =>
        api(t).patch(`/v3/accounts/${c.account.id}`).set(bearer(c.accessToken)).send({ allowedRedirectHosts: hosts });
      expect((await patch([])).status).toBe(200);
      const narrowed = await dataSource.getRepository(Account).findOneByOrFail({ id: c.account.id });
      expect(await mail.resetLink(narrowed, user, 'lk_rst_x')).toMatch(/^http:\/\/localhost:3000\/reset-password\?/);
      expect((await patch([PORTAL_HOST])).status).toBe(200);
    });

    it('falls back to the built-in template and link once the account default is deleted', async () => {
      const res = await api(t)
        .delete(`${base(c)}/${RESET}`)
        .set(bearer(c.accessToken));
      expect(res.status).toBe(204);
      const user = await userWith('fr');
      expect(await subjectOf(user)).toBe('Reset your Gamma password');
      expect(await mail.resetLink(account, user, 'lk_rst_x')).toBe(
        `http://localhost:3000/reset-password?userId=${user.id}#token=lk_rst_x`,
      );
      expect(await subjectOf(await userWith('de'))).toBe('Hallo Uma');
    });

    it("a reset's password-changed email follows the same order, whatever the stored spelling of the locale", async () => {
      const put = (body: object) =>
        api(t)
          .put(`${base(c)}/${CHANGED}`)
          .set(bearer(c.accessToken))
          .send(body);
      expect((await put({ subject: 'Changed {{user.firstName}}', textBody: 'x' })).status).toBe(200);
      expect((await put({ locale: 'de', subject: 'Geändert {{user.firstName}}', textBody: 'x' })).status).toBe(200);
      expect((await put({ locale: 'de-AT', subject: 'Servus {{user.firstName}}', textBody: 'x' })).status).toBe(200);
      const changedSubjectOf = async (user: User): Promise<string> => {
        const issued = await api(t)
          .post(`/v3/users/${user.id}/reset-password-token`)
          .set(bearer(c.accessToken))
          .send({});
        expect(issued.status).toBe(201);
        const reset = await api(t)
          .post(`/v3/users/${user.id}/reset-password`)
          .send({ token: issued.body.resetPasswordToken, newPassword: 'quartz meadow lantern 4417' });
        expect(reset.status).toBe(204);
        const rows: { id: string; payload: Record<string, unknown> }[] = await dataSource.query(
          `SELECT id, payload FROM outbox
            WHERE account_id = $1 AND payload->>'to' = $2 AND payload->>'event' = $3`,
          [c.account.id, user.email, CHANGED],
        );
        expect(rows).toHaveLength(1);
        return openedEmail(t, rows[0]).subject;
      };
      expect(await changedSubjectOf(await userWith('de-AT'))).toBe('Servus Uma');
      expect(await changedSubjectOf(await userWith('de-CH'))).toBe('Geändert Uma');
      expect(await changedSubjectOf(await userWith('fr'))).toBe('Changed Uma');
      expect(await changedSubjectOf(await userWith(null))).toBe('Changed Uma');
      // A locale stored in another spelling than the canonical one the templates are saved under.
      const legacy = await userWith('de-AT');
      await dataSource.query(`UPDATE users SET locale = 'DE-at' WHERE id = $1`, [legacy.id]);
      expect(await changedSubjectOf({ ...legacy, locale: 'DE-at' })).toBe('Servus Uma');
    });

    it('preview follows the same order for a given locale', async () => {
      const res = await api(t)
        .post(`${base(c)}/${RESET}/preview`)
        .set(bearer(c.accessToken))
        .send({ locale: 'de-CH' });
      expect(res.body.subject).toBe('Hallo Jane');
    });
  });
});
