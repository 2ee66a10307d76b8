import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import {
  bearer,
  createPat,
  createUser,
  login,
  signUp,
  STRONG_PASSWORD,
  type SignedUp,
  uniqueAlias,
} from './helpers/factories.js';

const ALL_SCOPES = [
  'account:read',
  'account:write',
  'user:read',
  'user:write',
  'user:resetPasswordToken',
  'personalAccessToken:read',
  'personalAccessToken:write',
  'eventLog:read',
];

const USER_KEYS = [
  'accountId',
  'company',
  'createdAt',
  'email',
  'firstName',
  'id',
  'lastLoginAt',
  'lastName',
  'locale',
  'metadata',
  'passwordChangedAt',
  'role',
  'updatedAt',
];

type Row = Record<string, unknown>;

describe('users', () => {
  let t: TestApp;
  let a: SignedUp; // the main account; a.accessToken is its owner's admin session
  let b: SignedUp; // another tenant
  let patRead: string;
  let patWrite: string;
  let patAll: string;
  let member: { id: string; email: string; role: string } & Row; // role `user`, with a password
  let memberSession: string;

  const as = (token: string) => bearer(token);
  const getUser = async (id: string) => (await api(t).get(`/v3/users/${id}`).set(as(a.accessToken))).body as Row;
  const eventsOf = async (action: string, userId: string) =>
    (await api(t).get('/v3/event-logs').query({ action, userId }).set(as(a.accessToken))).body as Row[];

  beforeAll(async () => {
    t = await createTestApp();
    a = await signUp(t);
    b = await signUp(t);
    patRead = (await createPat(t, a.accessToken, ['user:read'])).token;
    patWrite = (await createPat(t, a.accessToken, ['user:write'])).token;
    patAll = (await createPat(t, a.accessToken, ALL_SCOPES, { name: 'every scope' })).token;
    member = await createUser(t, a.accessToken, { firstName: 'Mona', lastName: 'Member' });
    memberSession = (await login(t, a.account.alias, member.email)).accessToken;
    await createUser(t, b.accessToken); // the other tenant's second user: its list below counts two
  }, 120_000);
  afterAll(async () => t?.close());

  describe('authentication, scopes and tenancy on every route', () => {
    it('a list shows only the caller’s account', async () => {
      const res = await api(t).get('/v3/users').query({ limit: 100 }).set(as(b.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.map((u: Row) => u.accountId)).toEqual([b.account.id, b.account.id]);
      expect(res.headers['x-total-count']).toBe('2');
    });

    it('a malformed id is 400 VALIDATION_FAILED', async () => {
      for (const req of [
        api(t).get('/v3/users/not-a-uuid'),
        api(t).patch('/v3/users/1234').send({ firstName: 'X' }),
        api(t).delete(`/v3/users/${member.id}x`),
      ]) {
        const res = await req.set(as(a.accessToken));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details).toEqual([{ field: 'id', message: expect.any(String) }]);
      }
    });
  });

  describe('POST /v3/users', () => {
    it('creates a user with defaults and never shows the password hash', async () => {
      const res = await api(t)
        .post('/v3/users')
        .set(as(patWrite))
        .send({ email: '  Grace@Example.TEST ', firstName: 'Grace', lastName: 'Hopper', locale: 'pt-br' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);
      expect(res.body).toMatchObject({
        accountId: a.account.id,
        email: 'Grace@Example.TEST',
        firstName: 'Grace',
        lastName: 'Hopper',
        role: 'user',
        company: null,
        locale: 'pt-BR',
        metadata: {},
        lastLoginAt: null,
        passwordChangedAt: null,
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|hash/i);
      expect(await getUser(res.body.id)).toEqual(res.body);
    });

    it('stores a password that passes the policy, so the user can log in', async () => {
      const email = `ada-${randomUUID().slice(0, 6)}@example.test`;
      const res = await api(t)
        .post('/v3/users')
        .set(as(a.accessToken))
        .send({
          email,
          firstName: 'Ada',
          lastName: 'Lovelace',
          password: STRONG_PASSWORD,
          company: 'Engines',
          metadata: { plan: 'pro', seats: 3, tags: ['a'] },
        });
      expect(res.status).toBe(201);
      expect(res.body.passwordChangedAt).toEqual(expect.any(String));
      expect(res.body.metadata).toEqual({ plan: 'pro', seats: 3, tags: ['a'] });
      const session = await login(t, a.account.alias, email.toUpperCase());
      expect(session.accessToken).toMatch(/^lk_ses_/);
    });

    it('a weak password is 400 WEAK_PASSWORD with the reason, and no user is created', async () => {
      const email = `weak-${randomUUID().slice(0, 6)}@example.test`;
      for (const password of ['short', 'Florentina wandering blue 77', 'password1234567890']) {
        const res = await api(t)
          .post('/v3/users')
          .set(as(a.accessToken))
          .send({ email, firstName: 'Florentina', lastName: 'Weak', password });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('WEAK_PASSWORD');
        expect(res.body.message).toEqual(expect.any(String));
      }
      const list = await api(t).get('/v3/users').query({ email }).set(as(a.accessToken));
      expect(list.headers['x-total-count']).toBe('0');
    });

    it('a duplicate email, ignoring case and surrounding spaces, is 409 CONFLICT', async () => {
      const email = `dup-${randomUUID().slice(0, 6)}@example.test`;
      await createUser(t, a.accessToken, { email });
      for (const again of [email, email.toUpperCase(), `  ${email} `]) {
        const res = await api(t)
          .post('/v3/users')
          .set(as(a.accessToken))
          .send({ email: again, firstName: 'D', lastName: 'Up' });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('CONFLICT');
      }
      // The same email is free in another account.
      expect((await createUser(t, b.accessToken, { email })).email).toBe(email);
    });

    it.each([
      ['an unknown field', { passwordHash: 'x' }, 'passwordHash'],
      ['accountId', { accountId: randomUUID() }, 'accountId'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['a non-string email', { email: 42 }, 'email'],
      ['an empty first name', { firstName: '   ' }, 'firstName'],
      ['a 101-character last name', { lastName: 'x'.repeat(101) }, 'lastName'],
      ['an unknown role', { role: 'owner' }, 'role'],
      ['a null role', { role: null }, 'role'],
      ['a bad locale', { locale: 'english' }, 'locale'],
      ['a locale with extensions', { locale: 'en-US-u-ca-buddhist' }, 'locale'],
      ['array metadata', { metadata: ['a'] }, 'metadata'],
      ['string metadata', { metadata: 'x' }, 'metadata'],
      ['null metadata', { metadata: null }, 'metadata'],
      [
        'metadata with 51 keys',
        { metadata: Object.fromEntries([...Array(51).keys()].map((i) => [`k${i}`, i])) },
        'metadata',
      ],
      ['metadata over 4 KB', { metadata: { blob: 'x'.repeat(4100) } }, 'metadata'],
    ])('%s is 400 VALIDATION_FAILED', async (_, patch, field) => {
      const body = { email: `v-${randomUUID().slice(0, 6)}@example.test`, firstName: 'Val', lastName: 'Id', ...patch };
      const res = await api(t).post('/v3/users').set(as(a.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: Row) => d.field)).toContain(field);
    });

    it('a missing required field is 400', async () => {
      const res = await api(t).post('/v3/users').set(as(a.accessToken)).send({ email: 'x@example.test' });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: Row) => d.field)).toEqual(expect.arrayContaining(['firstName', 'lastName']));
    });

    it('a PAT with every scope cannot create an admin (403 FORBIDDEN); an admin session can', async () => {
      const email = `boss-${randomUUID().slice(0, 6)}@example.test`;
      const body = { email, firstName: 'Bo', lastName: 'Ss', role: 'admin' };
      const denied = await api(t).post('/v3/users').set(as(patAll)).send(body);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('FORBIDDEN');
      expect((await api(t).get('/v3/users').query({ email }).set(as(a.accessToken))).headers['x-total-count']).toBe(
        '0',
      );
      const ok = await api(t).post('/v3/users').set(as(a.accessToken)).send(body);
      expect(ok.status).toBe(201);
      expect(ok.body.role).toBe('admin');
    });

    it('a user session cannot create users', async () => {
      const res = await api(t)
        .post('/v3/users')
        .set(as(memberSession))
        .send({ email: 'x@example.test', firstName: 'X', lastName: 'Y' });
      expect(res.status).toBe(403);
    });

    it('writes user.created with the actor', async () => {
      const created = await createUser(t, patWrite);
      const events = await eventsOf('user.created', created.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'user.created',
        targetUserId: created.id,
        actor: { type: 'personalAccessToken', id: expect.any(String) },
      });
      expect(JSON.stringify(events[0])).not.toContain(STRONG_PASSWORD);
    });
  });

  describe('GET /v3/users', () => {
    let c: SignedUp;
    const users: Record<string, { id: string } & Row> = {};
    const list = (query: Record<string, string | number>) =>
      api(t).get('/v3/users').query(query).set(as(c.accessToken));
    const emails = (res: { body: Row[] }) => res.body.map((u) => u.email);

    beforeAll(async () => {
      c = await signUp(t, { alias: uniqueAlias('list'), email: 'zed@list.test', lastName: 'Owner' });
      const specs = [
        ['bob@list.test', 'Bob', 'Zimmer', 'Acme'],
        ['Carol@list.test', 'Carol', 'Adams', '100% Cotton'],
        ['dave@list.test', 'Dave', 'Miller', null],
        ['erin@list.test', 'Erin', 'Adams', 'Big_Co'],
      ] as const;
      for (const [email, firstName, lastName, company] of specs) {
        t.clock.advance(60);
        users[email] = await createUser(t, c.accessToken, { email, firstName, lastName, company });
      }
    });

    it('defaults to newest first, 20 a page, with X-Total-Count', async () => {
      const res = await list({});
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('5');
      expect(emails(res)).toEqual([
        'erin@list.test',
        'dave@list.test',
        'Carol@list.test',
        'bob@list.test',
        'zed@list.test',
      ]);
      expect(Object.keys(res.body[0]).sort()).toEqual(USER_KEYS);
    });

    it('sorts by createdAt, email and lastName, either way, ties by id', async () => {
      expect(emails(await list({ sort: 'createdAt' }))).toEqual([
        'zed@list.test',
        'bob@list.test',
        'Carol@list.test',
        'dave@list.test',
        'erin@list.test',
      ]);
      expect(emails(await list({ sort: 'email' }))).toEqual([
        'bob@list.test',
        'Carol@list.test',
        'dave@list.test',
        'erin@list.test',
        'zed@list.test',
      ]);
      expect(emails(await list({ sort: '-email' }))).toEqual([
        'zed@list.test',
        'erin@list.test',
        'dave@list.test',
        'Carol@list.test',
        'bob@list.test',
      ]);
      const adams = [users['Carol@list.test'].id, users['erin@list.test'].id].sort();
      const byLast = await list({ sort: 'lastName' });
      expect(byLast.body.map((u: Row) => u.lastName)).toEqual(['Adams', 'Adams', 'Miller', 'Owner', 'Zimmer']);
      expect(byLast.body.slice(0, 2).map((u: Row) => u.id)).toEqual(adams);
      const byLastDesc = await list({ sort: '-lastName' });
      expect(byLastDesc.body.map((u: Row) => u.lastName)).toEqual(['Zimmer', 'Owner', 'Miller', 'Adams', 'Adams']);
      expect(byLastDesc.body.slice(3).map((u: Row) => u.id)).toEqual(adams);
    });

    it('pages without overlap', async () => {
      const pages = [];
      for (const page of [1, 2, 3]) {
        const res = await list({ sort: 'email', limit: 2, page });
        expect(res.headers['x-total-count']).toBe('5');
        pages.push(...emails(res));
      }
      expect(pages).toEqual(emails(await list({ sort: 'email' })));
      const beyond = await list({ limit: 2, page: 4 });
      expect(beyond.status).toBe(200);
      expect(beyond.body).toEqual([]);
      expect(beyond.headers['x-total-count']).toBe('5');
    });

    it('filters by role and by exact email ignoring case', async () => {
      const admins = await list({ role: 'admin' });
      expect(emails(admins)).toEqual(['zed@list.test']);
      expect(admins.headers['x-total-count']).toBe('1');
      expect(emails(await list({ role: 'user' }))).toHaveLength(4);
      expect(emails(await list({ email: 'CAROL@LIST.TEST' }))).toEqual(['Carol@list.test']);
      expect(emails(await list({ email: 'carol@list' }))).toEqual([]);
    });

    it('searches email, names and company as substrings, with LIKE wildcards taken literally', async () => {
      expect(emails(await list({ search: 'ADAMS', sort: 'email' }))).toEqual(['Carol@list.test', 'erin@list.test']);
      expect(emails(await list({ search: 'zimm' }))).toEqual(['bob@list.test']);
      expect(emails(await list({ search: 'acme' }))).toEqual(['bob@list.test']);
      expect(emails(await list({ search: 'ave@' }))).toEqual(['dave@list.test']);
      expect(emails(await list({ search: '%' }))).toEqual(['Carol@list.test']);
      expect(emails(await list({ search: '_' }))).toEqual(['erin@list.test']);
      expect(emails(await list({ search: 'g_co' }))).toEqual(['erin@list.test']);
      expect(emails(await list({ search: 'b%' }))).toEqual([]);
      const combined = await list({ search: 'adams', role: 'user', limit: 1, sort: 'email' });
      expect(emails(combined)).toEqual(['Carol@list.test']);
      expect(combined.headers['x-total-count']).toBe('2');
    });

    it.each([
      ['limit=0', { limit: 0 }],
      ['limit=101', { limit: 101 }],
      ['page=0', { page: 0 }],
      ['limit=abc', { limit: 'abc' }],
      ['limit=2.5', { limit: '2.5' }],
      ['sort=password', { sort: 'password' }],
      ['sort=+email', { sort: '+email' }],
      ['role=owner', { role: 'owner' }],
      ['an unknown parameter', { accountId: 'x' }],
      ['constructor=x (a name every object inherits)', { constructor: 'x' }],
      ['toString=x', { toString: 'x' }],
      ['hasOwnProperty=x', { hasOwnProperty: 'x' }],
    ])('%s is 400 VALIDATION_FAILED, never clamped', async (_, query) => {
      const res = await list(query as Record<string, string | number>);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('limit=100 and a PAT with user:read are fine', async () => {
      const res = await api(t).get('/v3/users').query({ limit: 100 }).set(as(patRead));
      expect(res.status).toBe(200);
      expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(res.body.length);
    });
  });

  describe('GET /v3/users/:id', () => {
    it('a PAT with user:read reads a user', async () => {
      const res = await api(t).get(`/v3/users/${member.id}`).set(as(patRead));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: member.id, email: member.email, role: 'user' });
    });

    it('a user session reads itself, with lastLoginAt set, and nobody else', async () => {
      const self = await api(t).get(`/v3/users/${member.id.toUpperCase()}`).set(as(memberSession));
      expect(self.status).toBe(200);
      expect(self.body.id).toBe(member.id);
      expect(self.body.lastLoginAt).toEqual(expect.any(String));
      const other = await api(t).get(`/v3/users/${a.user.id}`).set(as(memberSession));
      expect(other.status).toBe(403);
      const list = await api(t).get('/v3/users').set(as(memberSession));
      expect(list.status).toBe(403);
    });

    it('a deleted or never-existing id is 404', async () => {
      const res = await api(t).get(`/v3/users/${randomUUID()}`).set(as(a.accessToken));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });

  describe('PATCH /v3/users/:id', () => {
    it('changes profile fields, leaves the rest, bumps updatedAt and logs the field names', async () => {
      const u = await createUser(t, a.accessToken, { company: 'Old Co', locale: 'de' });
      t.clock.advance(5);
      const res = await api(t)
        .patch(`/v3/users/${u.id}`)
        .set(as(patWrite))
        .send({ firstName: ' Renamed ', company: null, metadata: { tier: 2 }, locale: 'de' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: u.id,
        email: u.email,
        firstName: 'Renamed',
        lastName: 'User',
        company: null,
        locale: 'de',
        metadata: { tier: 2 },
        role: 'user',
        createdAt: u.createdAt,
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThan(new Date(u.createdAt as string).getTime());
      expect(await getUser(u.id)).toEqual(res.body);
      const events = await eventsOf('user.updated', u.id);
      expect(events).toHaveLength(1);
      expect((events[0].data as { fields: string[] }).fields.sort()).toEqual(['company', 'firstName', 'metadata']);
    });

    it('an unknown field, a null required field or a bad value is 400 and changes nothing', async () => {
      const u = await createUser(t, a.accessToken);
      for (const body of [
        { firstName: 'X', password: STRONG_PASSWORD },
        { firstName: 'X', passwordHash: 'x' },
        { firstName: 'X', accountId: b.account.id },
        { firstName: null },
        { email: null },
        { firstName: 'X', locale: 'xx_YY' },
        { firstName: 'X', metadata: [1] },
      ]) {
        const res = await api(t).patch(`/v3/users/${u.id}`).set(as(a.accessToken)).send(body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expect((await getUser(u.id)).firstName).toBe('Uma');
    });

    it('a user session changes its own names and locale', async () => {
      const res = await api(t)
        .patch(`/v3/users/${member.id}`)
        .set(as(memberSession))
        .send({ firstName: 'Monique', lastName: 'Membre', locale: 'fr-CA' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ firstName: 'Monique', lastName: 'Membre', locale: 'fr-CA', role: 'user' });
      const events = await eventsOf('user.updated', member.id);
      expect(events[0].actor).toEqual({ type: 'user', id: member.id });
    });

    it.each([
      ['its role', { role: 'admin' }],
      ['its role along with its name', { firstName: 'Sneaky', role: 'admin' }],
      ['its email', { email: 'new-self@example.test' }],
      ['its company', { company: 'Mine' }],
      ['its metadata', { metadata: { vip: true } }],
    ])('a user session changing %s is 403 FORBIDDEN and nothing changes', async (_, body) => {
      const before = await getUser(member.id);
      const res = await api(t).patch(`/v3/users/${member.id}`).set(as(memberSession)).send(body);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const after = await getUser(member.id);
      expect(after).toEqual(before);
      expect(after.role).toBe('user');
    });

    it('a user session cannot patch another user', async () => {
      const res = await api(t).patch(`/v3/users/${a.user.id}`).set(as(memberSession)).send({ firstName: 'Hacked' });
      expect(res.status).toBe(403);
      expect((await getUser(a.user.id)).firstName).toBe('Olive');
    });

    it('a PAT with every scope cannot promote to admin; an admin session can', async () => {
      const u = await createUser(t, a.accessToken);
      const denied = await api(t).patch(`/v3/users/${u.id}`).set(as(patAll)).send({ role: 'admin' });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('FORBIDDEN');
      expect((await getUser(u.id)).role).toBe('user');
      const ok = await api(t).patch(`/v3/users/${u.id}`).set(as(a.accessToken)).send({ role: 'admin' });
      expect(ok.status).toBe(200);
      expect(ok.body.role).toBe('admin');
    });

    it("a PAT cannot change an admin's email, but can change a user's", async () => {
      const admin = await createUser(t, a.accessToken, { role: 'admin' });
      const denied = await api(t)
        .patch(`/v3/users/${admin.id}`)
        .set(as(patAll))
        .send({ email: `taken-over-${randomUUID().slice(0, 6)}@evil.test` });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('FORBIDDEN');
      expect((await getUser(admin.id)).email).toBe(admin.email);
      // The admin's other fields are open to a PAT with user:write.
      const renamed = await api(t).patch(`/v3/users/${admin.id}`).set(as(patWrite)).send({ firstName: 'Adm' });
      expect(renamed.status).toBe(200);
      const u = await createUser(t, a.accessToken);
      const email = `moved-${randomUUID().slice(0, 6)}@example.test`;
      const ok = await api(t).patch(`/v3/users/${u.id}`).set(as(patWrite)).send({ email });
      expect(ok.status).toBe(200);
      expect(ok.body.email).toBe(email);
      const bySession = await api(t)
        .patch(`/v3/users/${admin.id}`)
        .set(as(a.accessToken))
        .send({ email: `admin2-${randomUUID().slice(0, 6)}@example.test` });
      expect(bySession.status).toBe(200);
    });

    it('a duplicate email, ignoring case and spaces, is 409 CONFLICT', async () => {
      const u = await createUser(t, a.accessToken);
      const res = await api(t)
        .patch(`/v3/users/${u.id}`)
        .set(as(a.accessToken))
        .send({ email: ` ${member.email.toUpperCase()} ` });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect((await getUser(u.id)).email).toBe(u.email);
      // Its own address in another case is not a duplicate.
      const same = await api(t)
        .patch(`/v3/users/${u.id}`)
        .set(as(a.accessToken))
        .send({ email: u.email.toUpperCase() });
      expect(same.status).toBe(200);
    });

    it("an email change kills the user's outstanding reset token", async () => {
      const u = await createUser(t, a.accessToken);
      const issued = await api(t).post(`/v3/users/${u.id}/reset-password-token`).set(as(a.accessToken)).send({});
      expect(issued.status).toBe(201);
      const patched = await api(t)
        .patch(`/v3/users/${u.id}`)
        .set(as(a.accessToken))
        .send({ email: `renamed-${randomUUID().slice(0, 6)}@example.test` });
      expect(patched.status).toBe(200);
      const reset = await api(t)
        .post(`/v3/users/${u.id}/reset-password`)
        .send({ token: issued.body.resetPasswordToken, newPassword: 'amber orchard telescope 9153 drift' });
      expect(reset.status).toBe(400);
      expect(reset.body.code).toBe('RESET_TOKEN_INVALID');
    });

    it('demoting the last admin is 409 CONFLICT and it stays admin', async () => {
      const solo = await signUp(t);
      const res = await api(t).patch(`/v3/users/${solo.user.id}`).set(as(solo.accessToken)).send({ role: 'user' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      const me = await api(t).get(`/v3/users/${solo.user.id}`).set(as(solo.accessToken));
      expect(me.body.role).toBe('admin');
    });

    it("demotion revokes the demoted admin's PATs and turns its session into a user's", async () => {
      const second = await createUser(t, a.accessToken, { role: 'admin' });
      const session = (await login(t, a.account.alias, second.email)).accessToken;
      const pat = (await createPat(t, session, ['user:read', 'personalAccessToken:write'])).token;
      const child = (await createPat(t, pat, ['user:read'])).token;
      expect((await api(t).get('/v3/users').set(as(pat))).status).toBe(200);
      const res = await api(t).patch(`/v3/users/${second.id}`).set(as(a.accessToken)).send({ role: 'user' });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe('user');
      for (const token of [pat, child]) {
        const after = await api(t).get('/v3/users').set(as(token));
        expect(after.status).toBe(401);
        expect(after.body.code).toBe('UNAUTHENTICATED');
      }
      expect((await api(t).get('/v3/users').set(as(session))).status).toBe(403);
      expect((await api(t).get(`/v3/users/${second.id}`).set(as(session))).body.role).toBe('user');
      // Promoting it again does not bring the PATs back.
      await api(t).patch(`/v3/users/${second.id}`).set(as(a.accessToken)).send({ role: 'admin' }).expect(200);
      expect((await api(t).get('/v3/users').set(as(pat))).status).toBe(401);
    });

    it('of two admins demoting each other at once, exactly one succeeds', async () => {
      const acct = await signUp(t);
      const other = await createUser(t, acct.accessToken, { role: 'admin' });
      const otherSession = (await login(t, acct.account.alias, other.email)).accessToken;
      const results = await Promise.all([
        api(t).patch(`/v3/users/${other.id}`).set(as(acct.accessToken)).send({ role: 'user' }),
        api(t).patch(`/v3/users/${acct.user.id}`).set(as(otherSession)).send({ role: 'user' }),
      ]);
      // The loser is 409 when it ran inside the race, or 403 when its session was already demoted.
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect([403, 409]).toContain(statuses.find((s) => s !== 200));
      const stillAdmin = results[0].status === 200 ? acct.accessToken : otherSession;
      const admins = await api(t).get('/v3/users').query({ role: 'admin' }).set(as(stillAdmin));
      expect(admins.headers['x-total-count']).toBe('1');
    });
  });

  describe('DELETE /v3/users/:id', () => {
    it('deletes a user: 204, then 404, and its session dies with it', async () => {
      const u = await createUser(t, a.accessToken);
      const session = (await login(t, a.account.alias, u.email)).accessToken;
      expect((await api(t).get(`/v3/users/${u.id}`).set(as(session))).status).toBe(200);
      const res = await api(t).delete(`/v3/users/${u.id}`).set(as(patWrite));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await api(t).get(`/v3/users/${u.id}`).set(as(a.accessToken))).status).toBe(404);
      expect((await api(t).get(`/v3/users/${u.id}`).set(as(session))).status).toBe(401);
      expect((await api(t).delete(`/v3/users/${u.id}`).set(as(patWrite))).status).toBe(404);
      const events = await eventsOf('user.deleted', u.id);
      expect(events).toHaveLength(1);
    });

    it('a PAT with every scope cannot delete an admin (403 FORBIDDEN)', async () => {
      const admin = await createUser(t, a.accessToken, { role: 'admin' });
      const res = await api(t).delete(`/v3/users/${admin.id}`).set(as(patAll));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect((await getUser(admin.id)).role).toBe('admin');
    });

    it('an admin session deletes another admin, whose PATs die with it', async () => {
      const admin = await createUser(t, a.accessToken, { role: 'admin' });
      const session = (await login(t, a.account.alias, admin.email)).accessToken;
      const pat = (await createPat(t, session, ['user:read'])).token;
      const res = await api(t).delete(`/v3/users/${admin.id}`).set(as(a.accessToken));
      expect(res.status).toBe(204);
      expect((await api(t).get('/v3/users').set(as(pat))).status).toBe(401);
      expect((await api(t).get('/v3/users').set(as(session))).status).toBe(401);
    });

    it('deleting the last admin is 409 CONFLICT', async () => {
      const solo = await signUp(t);
      const res = await api(t).delete(`/v3/users/${solo.user.id}`).set(as(solo.accessToken));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect((await api(t).get(`/v3/users/${solo.user.id}`).set(as(solo.accessToken))).status).toBe(200);
    });

    it('a user session cannot delete itself', async () => {
      const res = await api(t).delete(`/v3/users/${member.id}`).set(as(memberSession));
      expect(res.status).toBe(403);
      expect((await getUser(member.id)).id).toBe(member.id);
    });
  });
});
