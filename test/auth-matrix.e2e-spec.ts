import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppModule } from '../src/app.module.js';
import { routeTable, type RouteEntry } from '../src/auth/route-table.js';
import { expandScopes, SCOPES, type Scope } from '../src/auth/scopes.js';
import { generateToken } from '../src/auth/token-format.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, login, signUp, STRONG_PASSWORD, type SignedUp } from './helpers/factories.js';

/**
 * The 401/403/404 matrix of every protected route, generated from the route table (src/auth/route-table.ts):
 * a new route joins it by existing. Only what a route needs to be called at all is written here: how to fill its
 * path parameters and a valid body, so that a 404 is the tenant check and not validation.
 */
const ROUTES = routeTable(AppModule).filter((r) => !r.policy?.public);
const name = (r: RouteEntry) => `${r.method} ${r.path}`;

/** Valid bodies: the cross-tenant call must pass validation to reach the tenant check. */
const BODIES: Record<string, object> = {
  'POST /v3/users': { email: 'matrix@example.test', firstName: 'M', lastName: 'X', password: STRONG_PASSWORD },
  'PATCH /v3/users/:id': { company: 'X' },
  'POST /v3/personal-access-tokens': { name: 'matrix', scopes: ['user:read'] },
  'PATCH /v3/personal-access-tokens/:id': { name: 'renamed' },
  'PATCH /v3/accounts/:id': { name: 'Mine' },
  'PUT /v3/accounts/:id/email-templates/:event': { subject: 'Hi', textBody: 'Hello' },
  'POST /v3/accounts/:id/email-templates/:event/preview': {},
  'POST /v3/users/:id/reset-password-token': {},
  'POST /v3/webhooks': { url: 'https://hooks.example.test/matrix', events: ['*'] },
  'PATCH /v3/webhooks/:id': { description: 'renamed' },
  'POST /v3/users/:id/update-password': {
    oldPassword: STRONG_PASSWORD,
    newPassword: 'juniper falcon orbit crayon 4470',
  },
};

const withBadChecksum = (token: string) => token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x');

interface Tenant {
  signedUp: SignedUp;
  /** A `user`-role member with a session. */
  member: { id: string; email: string };
  memberSession: string;
  pat: { id: string; token: string };
  webhook: { id: string };
}

describe('auth matrix of every protected route', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let allScopesPat: string;
  let revokedPat: string;
  let revokedSession: string;

  const tenant = async (): Promise<Tenant> => {
    const signedUp = await signUp(t);
    const member = await createUser(t, signedUp.accessToken);
    const memberSession = (await login(t, signedUp.account.alias, member.email)).accessToken;
    const pat = await createPat(t, signedUp.accessToken, ['user:read']);
    const webhook = await api(t)
      .post('/v3/webhooks')
      .set(bearer(signedUp.accessToken))
      .send({ url: 'https://hooks.example.test/matrix', events: ['*'] })
      .expect(201);
    return { signedUp, member, memberSession, pat, webhook: webhook.body };
  };

  /** The route's path with its parameters naming rows of `of`; a parameter nobody knows fails the suite. */
  const pathOf = (route: RouteEntry, of: Tenant) =>
    route.path.replace(/:(\w+)/g, (_, param: string) => {
      if (param === 'event') return 'user.reset-password-request';
      if (param !== 'id') throw new Error(`${name(route)}: no fixture for :${param}`);
      if (route.path.startsWith('/v3/users/')) return of.member.id;
      if (route.path.startsWith('/v3/accounts/')) return of.signedUp.account.id;
      if (route.path.startsWith('/v3/personal-access-tokens/')) return of.pat.id;
      if (route.path.startsWith('/v3/webhooks/')) return of.webhook.id;
      throw new Error(`${name(route)}: no fixture for :id`);
    });

  const call = (route: RouteEntry, of: Tenant, authorization?: string) => {
    const req = api(t)[route.method.toLowerCase() as 'get'](pathOf(route, of));
    if (authorization) req.set('Authorization', authorization);
    const body = BODIES[name(route)];
    return body ? req.send(body) : req;
  };

  /** Everything of `b` that any route could touch, as its admin reads it. */
  const snapshot = async (of: Tenant) => {
    const as = bearer(of.signedUp.accessToken);
    const reads = [
      `/v3/accounts/${of.signedUp.account.id}`,
      `/v3/accounts/${of.signedUp.account.id}/email-templates`,
      `/v3/users/${of.member.id}`,
      `/v3/users/${of.member.id}/reset-password-tokens`,
      `/v3/personal-access-tokens/${of.pat.id}`,
      `/v3/webhooks/${of.webhook.id}`,
      `/v3/webhooks/${of.webhook.id}/deliveries`,
    ];
    return Promise.all(reads.map(async (p) => [p, (await api(t).get(p).set(as)).body] as const));
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await tenant();
    b = await tenant();
    allScopesPat = (await createPat(t, a.signedUp.accessToken, [...SCOPES])).token;
    const toRevoke = await createPat(t, a.signedUp.accessToken, [...SCOPES]);
    await api(t)
      .patch(`/v3/personal-access-tokens/${toRevoke.id}`)
      .set(bearer(a.signedUp.accessToken))
      .send({ revoked: true })
      .expect(200);
    revokedPat = toRevoke.token;
    revokedSession = (await login(t, a.signedUp.account.alias, a.member.email)).accessToken;
    await api(t).post('/v3/accounts/logout').set(bearer(revokedSession)).expect(204);
  }, 120_000);
  afterAll(async () => t?.close());

  it('covers the protected routes', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(ROUTES.map((r) => [name(r), r] as const))('%s', (_, route) => {
    it('401 UNAUTHENTICATED: no token, malformed, unknown, bad checksum, revoked PAT, revoked session', async () => {
      const cases: [string, string | undefined][] = [
        ['none', undefined],
        ['empty Bearer', 'Bearer'],
        ['malformed', 'Bearer not-a-token'],
        ['other scheme', 'Basic abc'],
        ['short', 'Bearer lk_pat_ABCDEFGHIJ0000000'],
        ['unknown PAT', `Bearer ${generateToken('pat')}`],
        ['unknown session', `Bearer ${generateToken('ses')}`],
        ['bad checksum', `Bearer ${withBadChecksum(allScopesPat)}`],
        ['revoked PAT', `Bearer ${revokedPat}`],
        ['revoked session', `Bearer ${revokedSession}`],
      ];
      for (const [label, authorization] of cases) {
        const res = await call(route, a, authorization);
        expect({ label, status: res.status, code: res.body.code, auth: res.headers['www-authenticate'] }).toEqual({
          label,
          status: 401,
          code: 'UNAUTHENTICATED',
          auth: 'Bearer',
        });
      }
    });

    const policy = route.policy!;
    if (policy.scope) {
      const needed = policy.scope;
      it(`403 INSUFFICIENT_SCOPE for a PAT with every scope but ${needed}`, async () => {
        const others = SCOPES.filter((s: Scope) => !expandScopes([s]).has(needed));
        const pat = await createPat(t, a.signedUp.accessToken, others);
        const res = await call(route, a, `Bearer ${pat.token}`);
        expect({ status: res.status, body: res.body }).toEqual({
          status: 403,
          body: { statusCode: 403, error: 'Forbidden', message: expect.any(String), code: 'INSUFFICIENT_SCOPE' },
        });
      });
    } else {
      const who = policy.adminSession ? 'admin session' : policy.selfOnly ? "user's own session" : 'session';
      it(`403 FORBIDDEN for a PAT with every scope${policy.adminSession ? ' and for a `user` session' : ''} (needs ${who})`, async () => {
        const tokens = [allScopesPat, ...(policy.adminSession ? [a.memberSession] : [])];
        for (const token of tokens) {
          const res = await call(route, a, `Bearer ${token}`);
          expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
        }
      });
    }

    if (route.path.includes(':id')) {
      // A PAT cannot reach a session-only route at all; an admin session reaches every route the guard lets through.
      const callers = policy.scope ? ['admin session', 'PAT with every scope'] : ['admin session'];
      it(`404 NOT_FOUND with another tenant's id (${callers.join(', ')}), and the row untouched`, async () => {
        const before = await snapshot(b);
        for (const caller of callers) {
          const token = caller === 'admin session' ? a.signedUp.accessToken : allScopesPat;
          const res = await call(route, b, `Bearer ${token}`);
          expect({ caller, status: res.status, code: res.body.code }).toEqual({
            caller,
            status: 404,
            code: 'NOT_FOUND',
          });
        }
        expect(await snapshot(b)).toEqual(before);
      });
    }
  });
});
