import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, login, signUp, STRONG_PASSWORD, type SignedUp, uniqueAlias } from './helpers/factories.js';

describe('accounts and sessions', () => {
  let t: TestApp;
  let acme: SignedUp;
  let other: SignedUp;

  beforeAll(async () => {
    t = await createTestApp();
    acme = await signUp(t);
    other = await signUp(t, { name: 'Other Corp' });
  }, 120_000);
  afterAll(async () => t?.close());

  describe('POST /v3/accounts', () => {
    it('creates the account, its first admin and a session', async () => {
      const alias = uniqueAlias('new');
      const res = await api(t).post('/v3/accounts').send({
        name: 'New Co',
        alias,
        email: ' Boss@New.test ',
        password: STRONG_PASSWORD,
        firstName: 'Bea',
        lastName: 'Boss',
      });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toMatch(/no-store/);
      expect(res.body.account).toMatchObject({
        name: 'New Co',
        alias,
        resetTokenTtlSeconds: 3600,
        resetTokenMaxTtlSeconds: 86400,
        allowedRedirectHosts: [],
        minPasswordLength: 15,
        notifyOnPasswordChange: true,
      });
      expect(res.body.user).toMatchObject({ email: 'Boss@New.test', role: 'admin', accountId: res.body.account.id });
      expect(res.body.user).not.toHaveProperty('passwordHash');
      expect(res.body.accessToken).toMatch(/^lk_ses_[0-9A-Za-z]+$/);
      expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const me = await api(t).get(`/v3/users/${res.body.user.id}`).set(bearer(res.body.accessToken));
      expect([200, 404]).toContain(me.status); // the users routes answer 200 once they exist
    });

    it('a taken alias is 409 CONFLICT', async () => {
      const res = await api(t).post('/v3/accounts').send({
        name: 'Dup',
        alias: acme.account.alias,
        email: 'x@dup.test',
        password: STRONG_PASSWORD,
        firstName: 'Dee',
        lastName: 'Dupe',
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
    });

    /** A valid sign-up body but for `patch`. */
    const signUpWith = (patch: Record<string, unknown>) => ({
      name: 'V',
      alias: uniqueAlias('v'),
      email: 'v@v.test',
      password: STRONG_PASSWORD,
      firstName: 'Val',
      lastName: 'Idate',
      ...patch,
    });

    it.each([
      ['upper-case alias', { alias: 'Acme' }],
      ['short alias', { alias: 'ab' }],
      ['alias with a dot', { alias: 'a.b.c' }],
      ['bad email', { email: 'not-an-email' }],
      ['missing name', { name: undefined }],
      ['unknown field', { role: 'admin' }],
    ])('%s is 400 VALIDATION_FAILED with details', async (_, patch) => {
      const res = await api(t).post('/v3/accounts').send(signUpWith(patch));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.length).toBeGreaterThan(0);
    });

    it('an unknown field is named as one, in the words a client understands', async () => {
      const res = await api(t)
        .post('/v3/accounts')
        .send(signUpWith({ role: 'admin' }));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'role', message: 'role is not a known field' }]);
    });

    it.each([
      ['too short', 'short pass'],
      ['common', 'passwordpassword123'],
      ['containing the first name', 'Prudence velvet quasar 7241'],
    ])('a weak password (%s) is 400 WEAK_PASSWORD with the reason', async (_, password) => {
      const res = await api(t)
        .post('/v3/accounts')
        .send({
          name: 'Weak',
          alias: uniqueAlias('w'),
          email: 'w@w.test',
          password,
          firstName: 'Prudence',
          lastName: 'Weak',
        });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('WEAK_PASSWORD');
      expect(res.body.message.length).toBeGreaterThan(10);
    });

    it('is 403 FORBIDDEN when sign-up is disabled', async () => {
      const closed = await createTestApp({ SIGNUP_ENABLED: 'false' });
      try {
        const res = await api(closed).post('/v3/accounts').send({
          name: 'X',
          alias: uniqueAlias(),
          email: 'x@x.test',
          password: STRONG_PASSWORD,
          firstName: 'Xa',
          lastName: 'Xb',
        });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
        // Whatever the body: the route is closed, so nothing in the body is judged.
        for (const body of [{}, { unknown: 1 }, { name: 'X' }]) {
          const any = await api(closed).post('/v3/accounts').send(body);
          expect({ status: any.status, code: any.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
        }
      } finally {
        await closed.close();
      }
    }, 120_000);
  });

  describe('POST /v3/accounts/login', () => {
    it('returns a session for the right alias, email (any case) and password', async () => {
      const res = await api(t)
        .post('/v3/accounts/login')
        .send({ accountAlias: acme.account.alias, email: acme.user.email.toUpperCase(), password: STRONG_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/no-store/);
      expect(res.body.accessToken).toMatch(/^lk_ses_/);
      const ok = await api(t).get(`/v3/accounts/${acme.account.id}`).set(bearer(res.body.accessToken));
      expect(ok.status).toBe(200);
    });

    it('answers a wrong alias, email or password with one identical 401', async () => {
      const attempts = [
        { accountAlias: 'no-such-account', email: acme.user.email, password: STRONG_PASSWORD },
        { accountAlias: acme.account.alias, email: 'nobody@nowhere.test', password: STRONG_PASSWORD },
        { accountAlias: acme.account.alias, email: acme.user.email, password: 'wrong password entirely' },
        { accountAlias: other.account.alias, email: acme.user.email, password: STRONG_PASSWORD },
      ];
      const bodies = [];
      for (const body of attempts) {
        const res = await api(t).post('/v3/accounts/login').send(body);
        expect(res.status).toBe(401);
        bodies.push(res.body);
      }
      expect(bodies[0].code).toBe('INVALID_CREDENTIALS');
      for (const b of bodies) expect(b).toEqual(bodies[0]);
    });

    it('is rate limited per account + email + IP on failures, without locking out other addresses', async () => {
      const limited = await createTestApp({
        RATE_LIMITS: 'on',
        TRUST_PROXY: 'on',
        RATE_LIMIT_LOGIN_FAILURES_TARGET_IP: '3/900',
      });
      try {
        const owner = await signUp(limited);
        const wrong = {
          accountAlias: owner.account.alias,
          email: owner.user.email,
          password: 'not the password at all',
        };
        const statuses = [];
        for (let i = 0; i < 5; i++) {
          statuses.push(
            (await api(limited).post('/v3/accounts/login').set('X-Forwarded-For', '203.0.113.9').send(wrong)).status,
          );
        }
        expect(statuses).toEqual([401, 401, 401, 429, 429]);
        const blocked = await api(limited).post('/v3/accounts/login').set('X-Forwarded-For', '203.0.113.9').send(wrong);
        expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
        expect(blocked.body.code).toBe('RATE_LIMITED');
        const real = await api(limited)
          .post('/v3/accounts/login')
          .set('X-Forwarded-For', '198.51.100.7')
          .send({ ...wrong, password: owner.password });
        expect(real.status).toBe(200);
      } finally {
        await limited.close();
      }
    }, 120_000);
  });

  describe('POST /v3/accounts/logout', () => {
    it('revokes the session', async () => {
      const { accessToken } = await login(t, acme.account.alias, acme.user.email);
      expect((await api(t).post('/v3/accounts/logout').set(bearer(accessToken))).status).toBe(204);
      const after = await api(t).get(`/v3/accounts/${acme.account.id}`).set(bearer(accessToken));
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('GET and PATCH /v3/accounts/{id}', () => {
    it('reads the account with account:read', async () => {
      const pat = await createPat(t, acme.accessToken, ['account:read']);
      const res = await api(t).get(`/v3/accounts/${acme.account.id}`).set(bearer(pat.token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: acme.account.id, alias: acme.account.alias });
    });

    it('a malformed id is 400 VALIDATION_FAILED', async () => {
      const bad = await api(t).get('/v3/accounts/not-a-uuid').set(bearer(acme.accessToken));
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });

    it('an admin session updates every setting', async () => {
      const res = await api(t)
        .patch(`/v3/accounts/${acme.account.id}`)
        .set(bearer(acme.accessToken))
        .send({
          name: 'Acme Renamed',
          resetTokenTtlSeconds: 900,
          resetTokenMaxTtlSeconds: 7200,
          allowedRedirectHosts: ['portal.acme.example', 'localhost'],
          minPasswordLength: 20,
          notifyOnPasswordChange: false,
        });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'Acme Renamed',
        resetTokenTtlSeconds: 900,
        resetTokenMaxTtlSeconds: 7200,
        allowedRedirectHosts: ['portal.acme.example', 'localhost'],
        minPasswordLength: 20,
        notifyOnPasswordChange: false,
      });
      const again = await api(t).get(`/v3/accounts/${acme.account.id}`).set(bearer(acme.accessToken));
      expect(again.body.minPasswordLength).toBe(20);
    });

    it('a PAT with account:write may rename but change no setting: they are reserved to a human', async () => {
      const pat = await createPat(t, acme.accessToken, ['account:write']);
      const rename = await api(t)
        .patch(`/v3/accounts/${acme.account.id}`)
        .set(bearer(pat.token))
        .send({ name: 'By PAT' });
      expect(rename.status).toBe(200);
      for (const body of [
        { allowedRedirectHosts: ['evil.example'] },
        { minPasswordLength: 8 },
        { notifyOnPasswordChange: true },
        { resetTokenTtlSeconds: 3600 },
        { resetTokenMaxTtlSeconds: 604800 },
        { name: 'By PAT', resetTokenMaxTtlSeconds: 604800 },
      ]) {
        const res = await api(t).patch(`/v3/accounts/${acme.account.id}`).set(bearer(pat.token)).send(body);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const after = await api(t).get(`/v3/accounts/${acme.account.id}`).set(bearer(acme.accessToken));
      expect(after.body.allowedRedirectHosts).not.toContain('evil.example');
    });

    it.each([
      [{ minPasswordLength: 7 }],
      [{ minPasswordLength: 65 }],
      [{ resetTokenMaxTtlSeconds: 604801 }],
      [{ resetTokenTtlSeconds: 59 }],
      [{ resetTokenTtlSeconds: 100000, resetTokenMaxTtlSeconds: 7200 }],
      [{ allowedRedirectHosts: ['https://with-scheme.example'] }],
      [{ alias: 'cannot-change' }],
    ])('rejects %j with 400 VALIDATION_FAILED', async (body) => {
      const res = await api(t).patch(`/v3/accounts/${acme.account.id}`).set(bearer(acme.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
