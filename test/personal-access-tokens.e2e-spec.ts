import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CredentialsService } from '../src/access-tokens/credentials.service.js';
import { parseToken } from '../src/auth/token-format.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, login, signUp, type SignedUp } from './helpers/factories.js';

const PATS = '/v3/personal-access-tokens';
const LISTED_KEYS = [
  'createdAt',
  'createdBy',
  'expiresAt',
  'id',
  'lastUsedAt',
  'name',
  'revoked',
  'revokedAt',
  'scopes',
  'tokenHint',
];
/** The same token with its last checksum character changed. */
const inOneHour = (t: TestApp) => new Date(t.clock.now().getTime() + 3_600_000).toISOString();

describe('personal access tokens', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;

  beforeAll(async () => {
    t = await createTestApp();
    a = await signUp(t);
    b = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());
  afterEach(() => t.clock.reset());

  const status = (token: string) =>
    api(t)
      .get(PATS)
      .set(bearer(token))
      .then((r) => r.status);

  describe('create', () => {
    it('returns the secret once, with Cache-Control: no-store, and stores scopes deduplicated and sorted', async () => {
      t.clock.advance(600);
      const res = await api(t)
        .post(PATS)
        .set(bearer(a.accessToken))
        .send({ name: '  deploys  ', scopes: ['user:read', 'personalAccessToken:read', 'user:read'] });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'scopes', 'token']);
      expect(res.body).toMatchObject({
        name: 'deploys',
        scopes: ['personalAccessToken:read', 'user:read'],
        expiresAt: null,
      });
      expect(parseToken(res.body.token)).toBe('pat');
      // createdAt comes from the service's clock, which the test moved ten minutes ahead.
      expect(Math.abs(Date.parse(res.body.createdAt) - t.clock.now().getTime())).toBeLessThan(5_000);
      expect(await status(res.body.token)).toBe(200);
    });

    it('is open to admins only: a user-role session is 403 INSUFFICIENT_SCOPE', async () => {
      const user = await createUser(t, a.accessToken, { role: 'user' });
      const session = await login(t, a.account.alias, user.email);
      const res = await api(t).post(PATS).set(bearer(session.accessToken)).send({ name: 'x', scopes: [] });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
    });

    it.each([
      ['an unknown scope', { name: 'x', scopes: ['user:admin'] }],
      ['a scope that is not a string', { name: 'x', scopes: [1] }],
      ['scopes that are not an array', { name: 'x', scopes: 'user:read' }],
      ['no scopes', { name: 'x' }],
      ['no name', { scopes: [] }],
      ['an empty name', { name: '   ', scopes: [] }],
      ['a name of 101 characters', { name: 'n'.repeat(101), scopes: [] }],
      ['a control character in the name', { name: 'a\u0007b', scopes: ['user:read'] }],
      ['a line break in the name', { name: 'CI\r\ndeploys', scopes: ['user:read'] }],
      ['a right-to-left override in the name', { name: 'a\u202eb', scopes: ['user:read'] }],
      ['an unknown field', { name: 'x', scopes: [], userId: randomUUID() }],
      ['an expiry that is not a date', { name: 'x', scopes: [], expiresAt: 'tomorrow' }],
      ['an expiry in the past', { name: 'x', scopes: [], expiresAt: '2020-01-01T00:00:00Z' }],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, body) => {
      const res = await api(t).post(PATS).set(bearer(a.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.length).toBeGreaterThan(0);
    });

    it('accepts a name of 100 characters and an expiry in the future', async () => {
      const expiresAt = inOneHour(t);
      const pat = await createPat(t, a.accessToken, ['eventLog:read'], { name: 'n'.repeat(100), expiresAt });
      expect(pat).toMatchObject({ name: 'n'.repeat(100), expiresAt });
    });

    it("judges the expiry by the service's clock", async () => {
      const soon = new Date(Date.now() + 3_600_000).toISOString();
      t.clock.advance(7_200);
      const res = await api(t).post(PATS).set(bearer(a.accessToken)).send({ name: 'x', scopes: [], expiresAt: soon });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('expiresAt');
    });
  });

  describe('tokens made by tokens', () => {
    it('never hold a scope the calling token lacks: 403 INSUFFICIENT_SCOPE', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write', 'user:read']);
      for (const scopes of [['user:write'], ['eventLog:read'], ['user:read', 'account:read']]) {
        const res = await api(t).post(PATS).set(bearer(parent.token)).send({ name: 'escalate', scopes });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
      }
    });

    it('may hold scopes the parent holds or implies, and name the parent as creator', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write', 'user:write']);
      const child = await createPat(t, parent.token, [
        'personalAccessToken:read',
        'user:read',
        'user:resetPasswordToken',
      ]);
      const res = await api(t).get(`${PATS}/${child.id}`).set(bearer(a.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.createdBy).toEqual({ type: 'personalAccessToken', id: parent.id });
      expect(res.body.scopes).toEqual(['personalAccessToken:read', 'user:read', 'user:resetPasswordToken']);
      const own = await api(t).get(`${PATS}/${parent.id}`).set(bearer(a.accessToken));
      expect(own.body.createdBy).toEqual({ type: 'user', id: a.user.id });
    });

    it('expire with their parent by default and may not outlive it', async () => {
      const parentExpiry = inOneHour(t);
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write'], { expiresAt: parentExpiry });
      const inherited = await createPat(t, parent.token, []);
      expect(inherited.expiresAt).toBe(parentExpiry);

      const earlier = new Date(Date.parse(parentExpiry) - 60_000).toISOString();
      expect((await createPat(t, parent.token, [], { expiresAt: earlier })).expiresAt).toBe(earlier);

      const later = new Date(Date.parse(parentExpiry) + 1_000).toISOString();
      const res = await api(t).post(PATS).set(bearer(parent.token)).send({ name: 'x', scopes: [], expiresAt: later });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details[0].field).toBe('expiresAt');
    });

    it('may never expire when the parent never does', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write']);
      expect((await createPat(t, parent.token, [])).expiresAt).toBeNull();
    });
  });

  describe('read', () => {
    it('lists the account’s tokens newest first, with X-Total-Count and never a secret', async () => {
      const pat = await createPat(t, a.accessToken, ['personalAccessToken:read']);
      const res = await api(t).get(PATS).set(bearer(pat.token));
      expect(res.status).toBe(200);
      expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(res.body.length);
      const listed = res.body.find((p: { id: string }) => p.id === pat.id);
      expect(Object.keys(listed).sort()).toEqual(LISTED_KEYS);
      expect(listed).toMatchObject({
        name: pat.name,
        scopes: ['personalAccessToken:read'],
        createdBy: { type: 'user', id: a.user.id },
        tokenHint: pat.token.slice(-4),
        revoked: false,
        revokedAt: null,
      });
      expect(JSON.stringify(res.body)).not.toContain(pat.token);
      expect(JSON.stringify(res.body)).not.toMatch(/lk_pat_|tokenHash|token_hash/);
      const times = res.body.map((p: { createdAt: string }) => Date.parse(p.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      const ids = (await api(t).get(PATS).set(bearer(b.accessToken))).body.map((p: { id: string }) => p.id);
      expect(ids).not.toContain(pat.id);
    });

    it('pages the list', async () => {
      const all = await api(t).get(`${PATS}?limit=100`).set(bearer(a.accessToken));
      const total = Number(all.headers['x-total-count']);
      expect(total).toBeGreaterThan(2);
      const page2 = await api(t).get(`${PATS}?limit=2&page=2`).set(bearer(a.accessToken));
      expect(page2.body.map((p: { id: string }) => p.id)).toEqual(
        all.body.slice(2, 4).map((p: { id: string }) => p.id),
      );
      expect(page2.headers['x-total-count']).toBe(String(total));
      for (const q of ['limit=0', 'limit=101', 'page=0', 'limit=x']) {
        expect((await api(t).get(`${PATS}?${q}`).set(bearer(a.accessToken))).status).toBe(400);
      }
    });

    it('gets one token without its secret', async () => {
      const pat = await createPat(t, a.accessToken, []);
      const res = await api(t).get(`${PATS}/${pat.id.toUpperCase()}`).set(bearer(a.accessToken));
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(LISTED_KEYS);
      expect(res.body.id).toBe(pat.id);
      expect(JSON.stringify(res.body)).not.toContain(pat.token);
    });

    it('records lastUsedAt when a token is used, at most once a minute', async () => {
      const pat = await createPat(t, a.accessToken, ['personalAccessToken:read']);
      const credentials = t.app.get(CredentialsService);
      const lastUsed = async () => {
        await credentials.flushLastUsed();
        const res = await api(t).get(`${PATS}/${pat.id}`).set(bearer(a.accessToken));
        return res.body.lastUsedAt as string | null;
      };
      expect(await lastUsed()).toBeNull();

      expect(await status(pat.token)).toBe(200);
      const first = await lastUsed();
      expect(first).not.toBeNull();
      expect(Math.abs(Date.parse(first!) - t.clock.now().getTime())).toBeLessThan(5_000);

      t.clock.advance(30);
      expect(await status(pat.token)).toBe(200);
      expect(await lastUsed()).toBe(first);

      t.clock.advance(31);
      expect(await status(pat.token)).toBe(200);
      const later = await lastUsed();
      expect(Date.parse(later!)).toBeGreaterThan(Date.parse(first!) + 60_000);
    });
  });

  describe('update', () => {
    it('renames a token', async () => {
      const pat = await createPat(t, a.accessToken, []);
      const res = await api(t).patch(`${PATS}/${pat.id}`).set(bearer(a.accessToken)).send({ name: 'renamed' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: pat.id, name: 'renamed', revoked: false });
      expect((await api(t).get(`${PATS}/${pat.id}`).set(bearer(a.accessToken))).body.name).toBe('renamed');
    });

    it.each([
      ['a null name', { name: null }],
      ['an empty name', { name: '' }],
      ['revoked that is not a boolean', { revoked: 'yes' }],
      ['a scope change', { scopes: ['user:read'] }],
      ['an expiry change', { expiresAt: '2099-01-01T00:00:00Z' }],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, body) => {
      const pat = await createPat(t, a.accessToken, []);
      const res = await api(t).patch(`${PATS}/${pat.id}`).set(bearer(a.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('revokes a token and every token below it, finally', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write']);
      const child = await createPat(t, parent.token, ['personalAccessToken:write']);
      const grandchild = await createPat(t, child.token, ['personalAccessToken:read']);
      const bystander = await createPat(t, a.accessToken, ['personalAccessToken:read']);
      expect(await status(grandchild.token)).toBe(200);

      const res = await api(t).patch(`${PATS}/${parent.id}`).set(bearer(a.accessToken)).send({ revoked: true });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBe(true);
      expect(Number.isNaN(Date.parse(res.body.revokedAt))).toBe(false);

      for (const pat of [parent, child, grandchild]) {
        expect(await status(pat.token)).toBe(401);
        const got = await api(t).get(`${PATS}/${pat.id}`).set(bearer(a.accessToken));
        expect(got.body).toMatchObject({ revoked: true, revokedAt: res.body.revokedAt });
      }
      expect(await status(bystander.token)).toBe(200);

      const again = await api(t).patch(`${PATS}/${parent.id}`).set(bearer(a.accessToken)).send({ revoked: true });
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(res.body.revokedAt);

      const undo = await api(t).patch(`${PATS}/${parent.id}`).set(bearer(a.accessToken)).send({ revoked: false });
      expect(undo.status).toBe(400);
      expect(undo.body.code).toBe('VALIDATION_FAILED');
      expect(await status(parent.token)).toBe(401);
    });

    it('leaves the parent alive when a child is revoked', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write']);
      const child = await createPat(t, parent.token, ['personalAccessToken:read']);
      const res = await api(t).patch(`${PATS}/${child.id}`).set(bearer(parent.token)).send({ revoked: true });
      expect(res.status).toBe(200);
      expect(await status(child.token)).toBe(401);
      expect(await status(parent.token)).toBe(200);
    });

    it("lets a PAT change only itself and the tokens below it: its parent's, siblings' and other admins' need an admin session", async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write']);
      const child = await createPat(t, parent.token, ['personalAccessToken:write']);
      const sibling = await createPat(t, parent.token, ['personalAccessToken:read']);
      const grandchild = await createPat(t, child.token, ['personalAccessToken:read']);
      const admin2 = await createUser(t, a.accessToken, { role: 'admin' });
      const admin2Session = (await login(t, a.account.alias, admin2.email)).accessToken;
      const monitoring = await createPat(t, admin2Session, ['eventLog:read']);
      for (const victim of [parent, sibling, monitoring]) {
        for (const res of [
          await api(t).patch(`${PATS}/${victim.id}`).set(bearer(child.token)).send({ revoked: true }),
          await api(t).patch(`${PATS}/${victim.id}`).set(bearer(child.token)).send({ name: 'renamed' }),
          await api(t).delete(`${PATS}/${victim.id}`).set(bearer(child.token)),
        ]) {
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
        const got = await api(t).get(`${PATS}/${victim.id}`).set(bearer(a.accessToken));
        expect(got.body).toMatchObject({ revoked: false, name: victim.name });
      }
      expect(await status(monitoring.token)).not.toBe(401);
      const below = await api(t).patch(`${PATS}/${grandchild.id}`).set(bearer(child.token)).send({ revoked: true });
      expect(below.status).toBe(200);
      const itself = await api(t).delete(`${PATS}/${child.id}`).set(bearer(child.token));
      expect(itself.status).toBe(204);
      const bySession = await api(t)
        .patch(`${PATS}/${monitoring.id}`)
        .set(bearer(a.accessToken))
        .send({ revoked: true });
      expect(bySession.status).toBe(200);
      expect(await status(parent.token)).toBe(200);
    });

    it('accepts revoked: false on a live token as a no-op', async () => {
      const pat = await createPat(t, a.accessToken, ['personalAccessToken:read']);
      const res = await api(t).patch(`${PATS}/${pat.id}`).set(bearer(a.accessToken)).send({ revoked: false });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBe(false);
      expect(await status(pat.token)).toBe(200);
    });
  });

  describe('delete', () => {
    it('deletes a token and the tokens it made', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write']);
      const child = await createPat(t, parent.token, ['personalAccessToken:read']);
      const res = await api(t).delete(`${PATS}/${parent.id}`).set(bearer(a.accessToken));
      expect(res.status).toBe(204);
      for (const pat of [parent, child]) {
        expect(await status(pat.token)).toBe(401);
        expect((await api(t).get(`${PATS}/${pat.id}`).set(bearer(a.accessToken))).status).toBe(404);
      }
      expect((await api(t).delete(`${PATS}/${parent.id}`).set(bearer(a.accessToken))).status).toBe(404);
    });
  });

  describe('access', () => {
    const call = (method: string, path: string, body: object | undefined, token?: string) => {
      const req = api(t)[method.toLowerCase() as 'get'](path);
      if (token) req.set(bearer(token));
      return body ? req.send(body) : req;
    };

    it('is 404 for an unknown id and 400 VALIDATION_FAILED for a malformed one', async () => {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const body = method === 'PATCH' ? { name: 'x' } : undefined;
        const unknown = await call(method, `${PATS}/${randomUUID()}`, body, a.accessToken);
        expect(unknown.status).toBe(404);
        const bad = await call(method, `${PATS}/not-a-uuid`, body, a.accessToken);
        expect([method, bad.status, bad.body.code]).toEqual([method, 400, 'VALIDATION_FAILED']);
      }
    });
  });
});
