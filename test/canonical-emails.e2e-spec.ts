import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DEFAULT_RATE_LIMITS } from '../src/config/app-config.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, signUp, type SignedUp, STRONG_PASSWORD } from './helpers/factories.js';
import { mailbox } from './helpers/mailbox.js';

jest.setTimeout(60_000);

const OTHER_PASSWORD = 'copper walrus umbrella 4417 meadow';

/** A fresh documentation-range address per call, so tests never share a limiter key. */
let lastOctet = 0;
const nextIp = () => `203.0.113.${++lastOctet}`;
const tag = () => randomUUID().slice(0, 8);

function expectValidation(res: Response, field?: string): void {
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  if (field) expect((res.body.details as { field: string }[]).map((d) => d.field)).toContain(field);
}

/**
 * One canonical form per email (API.md "Users"): control and format characters refused, ASCII
 * trim, NFC, JavaScript lower-case and the domain through UTS #46, for uniqueness, every lookup and
 * every rate-limit key. The database's lower() disagrees with JavaScript on `İ` (U+0130), which
 * once doubled every per-target budget.
 */
describe('canonical emails', () => {
  let t: TestApp;
  let a: SignedUp;
  const users = () => api(t).post('/v3/users').set(bearer(a.accessToken));
  const loginFrom = (ip: string, body: Record<string, unknown>) =>
    api(t)
      .post('/v3/accounts/login')
      .set('X-Forwarded-For', ip)
      .send({ accountAlias: a.account.alias, password: STRONG_PASSWORD, ...body });
  const resetRequestFrom = (ip: string, body: Record<string, unknown>) =>
    api(t)
      .post('/v3/accounts/reset-password-request')
      .set('X-Forwarded-For', ip)
      .send({ accountAlias: a.account.alias, ...body });

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'on', OUTBOX_WORKER: 'off' });
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  describe('İ (U+0130) is not i', () => {
    it('İris@… and iris@… are two users, and neither password opens the other', async () => {
      const domain = `${tag()}.test`;
      const plain = await createUser(t, a.accessToken, { email: `iris@${domain}` });
      const dotted = await createUser(t, a.accessToken, { email: `İris@${domain}`, password: OTHER_PASSWORD });
      expect(dotted.id).not.toBe(plain.id);
      expect(dotted.email).toBe(`İris@${domain}`);

      const as = async (email: string, password: string) =>
        loginFrom(nextIp(), { email, password }).then((r) => r.status);
      expect(await as(`iris@${domain}`, STRONG_PASSWORD)).toBe(200);
      expect(await as(`İris@${domain}`, OTHER_PASSWORD)).toBe(200);
      expect(await as(`İris@${domain}`, STRONG_PASSWORD)).toBe(401);
      expect(await as(`iris@${domain}`, OTHER_PASSWORD)).toBe(401);

      // The exact filter tells them apart too.
      const list = async (email: string) =>
        (await api(t).get('/v3/users').query({ email }).set(bearer(a.accessToken))).body.map(
          (u: { id: string }) => u.id,
        );
      expect(await list(`IRIS@${domain.toUpperCase()}`)).toEqual([plain.id]);
      expect(await list(`İRIS@${domain}`)).toEqual([dotted.id]);
    });

    it('writing i as İ buys no extra login guesses: the right password in a variant spelling does not log in', async () => {
      const email = `iris-${tag()}@example.test`;
      await createUser(t, a.accessToken, { email });
      const attacker = nextIp();
      const limit = DEFAULT_RATE_LIMITS.LOGIN_FAILURES_TARGET_IP.points;
      for (let i = 0; i < limit; i++) {
        expect((await loginFrom(attacker, { email, password: `wrong guess ${i}` })).status).toBe(401);
      }
      expect((await loginFrom(attacker, { email, password: STRONG_PASSWORD })).status).toBe(429);
      // A variant spelling names nobody: the password is never checked against this user.
      const variant = email.replace('iris', 'İrİs');
      for (let i = 0; i < 3; i++) {
        expect((await loginFrom(attacker, { email: variant, password: `wrong guess ${i}` })).status).toBe(401);
      }
      const right = await loginFrom(attacker, { email: variant, password: STRONG_PASSWORD });
      expect(right.status).toBe(401);
      expect(right.body.code).toBe('INVALID_CREDENTIALS');
      // The real user, elsewhere, is not locked out.
      expect((await loginFrom(nextIp(), { email, password: STRONG_PASSWORD })).status).toBe(200);
    });

    it('writing i as İ buys no extra reset emails: the per-target limit holds and mail goes to the stored address', async () => {
      const email = `irene-${tag()}@example.test`;
      await createUser(t, a.accessToken, { email });
      const limit = DEFAULT_RATE_LIMITS.RESET_REQUEST_TARGET.points;
      const spellings = [email, email.toUpperCase(), ` ${email}`, email.replace('i', 'I')];
      for (let i = 0; i < limit; i++) {
        expect((await resetRequestFrom(nextIp(), { email: spellings[i % spellings.length] })).status).toBe(202);
      }
      expect((await resetRequestFrom(nextIp(), { email })).status).toBe(429);
      for (let i = 0; i < limit; i++) {
        expect((await resetRequestFrom(nextIp(), { email: email.replace(/i/g, 'İ') })).status).toBe(202);
      }
      const mails = (await mailbox(t)).filter((m) => m.to.toLowerCase() === email);
      expect(mails).toHaveLength(limit);
      expect(mails.every((m) => m.to === email)).toBe(true);
    });
  });

  describe('the domain through UTS #46', () => {
    it('bücher.example is xn--bcher-kva.example: a duplicate is 409, and either spelling logs in and filters', async () => {
      const local = `ada-${tag()}`;
      const created = await createUser(t, a.accessToken, { email: `${local}@bücher.example` });
      expect(created.email).toBe(`${local}@bücher.example`);
      const dup = await users().send({ email: `${local}@xn--bcher-kva.example`, firstName: 'A', lastName: 'B' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('CONFLICT');
      const dupUpper = await users().send({ email: `${local}@BÜCHER.example`, firstName: 'A', lastName: 'B' });
      expect(dupUpper.status).toBe(409);
      for (const email of [`${local}@bücher.example`, `${local}@XN--BCHER-KVA.example`]) {
        expect((await loginFrom(nextIp(), { email })).status).toBe(200);
      }
      const found = await api(t)
        .get('/v3/users')
        .query({ email: `${local}@xn--bcher-kva.example` })
        .set(bearer(a.accessToken));
      expect(found.body.map((u: { id: string }) => u.id)).toEqual([created.id]);
    });

    it('a domain UTS #46 maps to ASCII is judged as that ASCII (fullwidth letters and dot): accepted, one user', async () => {
      const local = `fw-${tag()}`;
      const created = await createUser(t, a.accessToken, { email: `${local}@ｅｘａｍｐｌｅ．com` });
      expect(created.email).toBe(`${local}@ｅｘａｍｐｌｅ．com`);
      const dup = await users().send({ email: `${local}@example.com`, firstName: 'A', lastName: 'B' });
      expect({ status: dup.status, code: dup.body.code }).toEqual({ status: 409, code: 'CONFLICT' });
      expect((await loginFrom(nextIp(), { email: `${local}@example.com` })).status).toBe(200);
    });

    it('an email whose domain UTS #46 refuses is 400', async () => {
      expectValidation(await users().send({ email: 'ada@a%b.example', firstName: 'A', lastName: 'B' }), 'email');
      expectValidation(await loginFrom(nextIp(), { email: 'ada@a%b.example' }), 'email');
    });

    it('NFC: a decomposed é is the same user as a composed one, and is stored composed', async () => {
      const local = `jos${tag()}`;
      const created = await createUser(t, a.accessToken, { email: `${local}e\u0301@example.test` });
      expect(created.email).toBe(`${local}\u00e9@example.test`);
      const dup = await users().send({ email: `${local}\u00c9@example.test`, firstName: 'A', lastName: 'B' });
      expect(dup.status).toBe(409);
    });
  });

  describe('control and format characters', () => {
    const BAD = [
      ['CR LF', 'ada\r\n@example.test'],
      ['a tab', 'ada@example.test\t'],
      ['a zero-width space', 'ad\u200ba@example.test'],
      ['a right-to-left override', 'ada\u202e@example.test'],
      ['a BOM', '\ufeffada@example.test'],
      ['a soft hyphen', 'ad\u00ada@example.test'],
    ] as const;

    it.each(BAD)('%s in an email is 400 on create, update, login, reset request and the filter', async (_, email) => {
      expectValidation(await users().send({ email, firstName: 'A', lastName: 'B' }), 'email');
      const u = await createUser(t, a.accessToken);
      expectValidation(await api(t).patch(`/v3/users/${u.id}`).set(bearer(a.accessToken)).send({ email }), 'email');
      expectValidation(await loginFrom(nextIp(), { email }), 'email');
      expectValidation(await resetRequestFrom(nextIp(), { email }), 'email');
      expectValidation(await api(t).get('/v3/users').query({ email }).set(bearer(a.accessToken)), 'email');
    });

    it('an email over 254 characters is 400 on every route', async () => {
      const email = `${'a'.repeat(64)}@${'b'.repeat(180)}.example.test`;
      expect(email.length).toBeGreaterThan(254);
      expectValidation(await users().send({ email, firstName: 'A', lastName: 'B' }), 'email');
      expectValidation(await loginFrom(nextIp(), { email }), 'email');
      expectValidation(await resetRequestFrom(nextIp(), { email }), 'email');
    });

    it('254 characters are counted in code points, as the OpenAPI maxLength counts them', async () => {
      const email = `${'\u{1F600}'.repeat(250)}@x.c`; // 254 code points, 504 UTF-16 units
      expect((await loginFrom(nextIp(), { email })).status).toBe(401);
      const filtered = await api(t).get('/v3/users').query({ email }).set(bearer(a.accessToken));
      expect(filtered.status).toBe(200);
      expect(filtered.body).toEqual([]);
      expectValidation(await loginFrom(nextIp(), { email: `\u{1F600}${email}` }), 'email');
    });

    it.each(['', '   ', 'notanemail', 'a@', '@b.test', 'a@b', 'a@b..test'])(
      "%j is no address: nobody's at login and in the filter, a malformed reset request (400)",
      async (email) => {
        const login = await loginFrom(nextIp(), { email });
        expect(login.status).toBe(401);
        expect(login.body.code).toBe('INVALID_CREDENTIALS');
        expectValidation(await resetRequestFrom(nextIp(), { email }), 'email');
        const filtered = await api(t).get('/v3/users').query({ email }).set(bearer(a.accessToken));
        expect(filtered.status).toBe(200);
        expect(filtered.body).toEqual([]);
        // Where an email is stored, it must be an address.
        expectValidation(await users().send({ email, firstName: 'A', lastName: 'B' }), 'email');
      },
    );

    it.each([
      ['firstName', { firstName: 'Ad\u202ea' }],
      ['lastName', { lastName: 'Love\u200blace' }],
      ['company', { company: 'Acme\r\nBcc: x@evil.test' }],
      ['firstName', { firstName: 'x'.repeat(101) }],
      ['company', { company: 'x'.repeat(101) }],
    ])('a name with control or format characters, or over 100 characters, is 400 (%s)', async (field, patch) => {
      expectValidation(
        await users().send({ email: `n-${tag()}@example.test`, firstName: 'A', lastName: 'B', ...patch }),
        field,
      );
      const u = await createUser(t, a.accessToken);
      expectValidation(await api(t).patch(`/v3/users/${u.id}`).set(bearer(a.accessToken)).send(patch), field);
    });

    it('an account name and a template fromName refuse control and format characters too', async () => {
      expectValidation(
        await api(t)
          .patch(`/v3/accounts/${a.account.id}`)
          .set(bearer(a.accessToken))
          .send({ name: 'Acme\u2066 Widgets' }),
        'name',
      );
      expectValidation(
        await api(t)
          .put(`/v3/accounts/${a.account.id}/email-templates/user.password-changed`)
          .set(bearer(a.accessToken))
          .send({ subject: 'Hi', textBody: 'Hello', fromName: 'Acme\u200f Support' }),
        'fromName',
      );
      const signup = await api(t)
        .post('/v3/accounts')
        .send({
          name: 'Bidi\u202e Corp',
          alias: `bidi-${tag()}`,
          email: `o@${tag()}.test`,
          password: STRONG_PASSWORD,
          firstName: 'O',
          lastName: 'W',
        });
      expectValidation(signup, 'name');
    });
  });

  describe('the account alias', () => {
    it('"alias " and "ALIAS" work for both login and reset request', async () => {
      const user = await createUser(t, a.accessToken, { email: `alias-${tag()}@example.test` });
      for (const accountAlias of [`${a.account.alias} `, ` ${a.account.alias.toUpperCase()}`]) {
        const res = await loginFrom(nextIp(), { accountAlias, email: user.email });
        expect(res.status).toBe(200);
        expect((await resetRequestFrom(nextIp(), { accountAlias, email: user.email })).status).toBe(202);
      }
      expect((await mailbox(t)).filter((m) => m.to === user.email)).toHaveLength(2);
    });

    it('the 40-character bound counts what is typed, before lower-casing (İ lower-cases to two code points)', async () => {
      const accountAlias = '\u0130'.repeat(21);
      expect(Array.from(accountAlias.toLowerCase())).toHaveLength(42);
      expect((await loginFrom(nextIp(), { accountAlias, email: a.user.email })).status).toBe(401);
      expect((await resetRequestFrom(nextIp(), { accountAlias, email: a.user.email })).status).toBe(202);
      expectValidation(
        await loginFrom(nextIp(), { accountAlias: 'a'.repeat(41), email: a.user.email }),
        'accountAlias',
      );
      expectValidation(await resetRequestFrom(nextIp(), { accountAlias: '', email: a.user.email }), 'accountAlias');
    });

    it('a reset request for an alias of spaces is for no account: 202, like any unknown alias', async () => {
      expect((await resetRequestFrom(nextIp(), { accountAlias: '  ', email: a.user.email })).status).toBe(202);
      const login = await loginFrom(nextIp(), { accountAlias: '  ', email: a.user.email });
      expect(login.status).toBe(401);
    });
  });

  describe('an email change tells the previous address', () => {
    it('a PAT with user:write moving a user to its own mailbox: the previous address gets user.email-changed', async () => {
      const pat = (await createPat(t, a.accessToken, ['user:write'])).token;
      // Even with password-change notices off, the previous address is told.
      const off = await api(t)
        .patch(`/v3/accounts/${a.account.id}`)
        .set(bearer(a.accessToken))
        .send({ notifyOnPasswordChange: false });
      expect(off.status).toBe(200);
      const victim = await createUser(t, a.accessToken, { email: `victim-${tag()}@example.test`, firstName: 'Vera' });
      const attackerBox = `drop-${tag()}@evil.test`;
      const moved = await api(t).patch(`/v3/users/${victim.id}`).set(bearer(pat)).send({ email: attackerBox });
      expect(moved.status).toBe(200);
      expect(moved.body.email).toBe(attackerBox);

      const mails = await mailbox(t);
      const told = mails.filter((m) => m.to === victim.email);
      expect(told).toHaveLength(1);
      expect(told[0].subject).toContain(a.account.name);
      expect(told[0].text).toContain(attackerBox);
      expect(told[0].text).toContain(victim.email);
      expect(told[0].text).toContain('Vera');
      expect(mails.filter((m) => m.to === attackerBox)).toEqual([]);

      const events = await api(t)
        .get('/v3/event-logs')
        .query({ action: 'user.updated', userId: victim.id })
        .set(bearer(a.accessToken));
      expect(events.body[0].data.fields).toEqual(['email']);
      await api(t)
        .patch(`/v3/accounts/${a.account.id}`)
        .set(bearer(a.accessToken))
        .send({ notifyOnPasswordChange: true })
        .expect(200);
    });

    it('a change that keeps the canonical form is not an email change: nothing is sent and the token lives', async () => {
      const user = await createUser(t, a.accessToken, { email: `same-${tag()}@bücher.example` });
      const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
      expect(issued.status).toBe(201);
      const before = (await mailbox(t)).length;
      const respelled = user.email.toUpperCase().replace('BÜCHER', 'xn--bcher-kva');
      const res = await api(t).patch(`/v3/users/${user.id}`).set(bearer(a.accessToken)).send({ email: respelled });
      expect(res.status).toBe(200);
      expect(res.body.email).toBe(respelled);
      expect(await mailbox(t)).toHaveLength(before);
      const outstanding = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(outstanding.body).toHaveLength(1);
      const reset = await api(t)
        .post(`/v3/users/${user.id}/reset-password`)
        .send({ token: issued.body.resetPasswordToken, newPassword: OTHER_PASSWORD });
      expect(reset.status).toBe(204);
    });

    it('user.email-changed is a template event: listed, previewed with {{newEmail}}, saved; {{token}} is 400', async () => {
      const base = `/v3/accounts/${a.account.id}/email-templates`;
      const list = await api(t).get(base).set(bearer(a.accessToken));
      expect(list.body.filter((x: { event: string }) => x.event === 'user.email-changed')).toEqual([
        expect.objectContaining({ isDefault: true, linkTemplate: null }),
      ]);
      const preview = await api(t)
        .post(`${base}/user.email-changed/preview`)
        .set(bearer(a.accessToken))
        .send({ textBody: 'Was {{user.email}}, now {{newEmail}} at {{account.name}}' });
      expect(preview.status).toBe(200);
      expect(preview.body.text).toMatch(/^Was \S+@\S+, now \S+@\S+ at /);
      for (const bad of ['{{token}}', '{{link}}', '{{expiresAt}}']) {
        const res = await api(t)
          .put(`${base}/user.email-changed`)
          .set(bearer(a.accessToken))
          .send({ subject: 'Changed', textBody: `x ${bad}` });
        expectValidation(res, 'textBody');
      }
      const saved = await api(t)
        .put(`${base}/user.email-changed`)
        .set(bearer(a.accessToken))
        .send({ subject: 'Address changed for {{user.firstName}}', textBody: 'Now {{newEmail}}, was {{user.email}}.' });
      expect(saved.status).toBe(200);
      // {{newEmail}} belongs to this event only.
      expectValidation(
        await api(t)
          .put(`${base}/user.password-changed`)
          .set(bearer(a.accessToken))
          .send({ subject: 'x', textBody: '{{newEmail}}' }),
        'textBody',
      );

      const user = await createUser(t, a.accessToken, { email: `tpl-${tag()}@example.test`, firstName: 'Tia' });
      const next = `tpl-new-${tag()}@example.test`;
      await api(t).patch(`/v3/users/${user.id}`).set(bearer(a.accessToken)).send({ email: next }).expect(200);
      const told = (await mailbox(t)).filter((m) => m.to === user.email);
      expect(told.map((m) => [m.subject, m.text.trim()])).toEqual([
        ['Address changed for Tia', `Now ${next}, was ${user.email}.`],
      ]);
      await api(t).delete(`${base}/user.email-changed`).set(bearer(a.accessToken)).expect(204);
    });
  });
});
