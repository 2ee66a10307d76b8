import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateToken } from '../src/auth/token-format.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, login, signUp, type SignedUp } from './helpers/factories.js';

/** Any route behind a scope that an admin session holds. */
const PROBE = '/v3/personal-access-tokens';
const withBadChecksum = (token: string) => token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x');

describe('authentication', () => {
  let t: TestApp;
  let a: SignedUp;

  beforeAll(async () => {
    t = await createTestApp();
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());
  afterEach(() => t.clock.reset());

  const probe = (token?: string) => {
    const req = api(t).get(PROBE);
    return token === undefined ? req : req.set(bearer(token));
  };
  const expect401 = async (res: { status: number; body: { code?: string }; headers: Record<string, string> }) => {
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  };

  it('accepts a valid session', async () => {
    expect((await probe(a.accessToken)).status).toBe(200);
  });

  it('is 401 with WWW-Authenticate: Bearer without a token or with another scheme', async () => {
    await expect401(await probe());
    await expect401(await api(t).get(PROBE).set('Authorization', `Basic ${a.accessToken}`));
    await expect401(await api(t).get(PROBE).set('Authorization', 'Bearer'));
    await expect401(await api(t).get(PROBE).set('Authorization', `Bearer ${a.accessToken} extra`));
  });

  it('is 401 for malformed tokens: bad checksum, wrong prefix, wrong length, garbage', async () => {
    const body = a.accessToken.slice(7);
    for (const token of [
      withBadChecksum(a.accessToken),
      `lk_xyz_${body}`,
      `ghp_${body}`,
      a.accessToken.slice(0, -2),
      `${a.accessToken}0`,
      'lk_ses_',
      'x'.repeat(5000),
    ]) {
      await expect401(await probe(token));
    }
  });

  it('is 401 for well-formed tokens the service never issued', async () => {
    await expect401(await probe(generateToken('ses')));
    await expect401(await probe(generateToken('pat')));
    // A reset token is a credential for reset-password only, never a bearer token.
    await expect401(await probe(generateToken('rst')));
  });

  it('is 401 for a session past its lifetime', async () => {
    const { accessToken } = await login(t, a.account.alias, a.user.email);
    t.clock.advance(86_399);
    expect((await probe(accessToken)).status).toBe(200);
    t.clock.advance(2);
    await expect401(await probe(accessToken));
  });

  it('is 401 for a session after logout, while the other sessions go on', async () => {
    const { accessToken } = await login(t, a.account.alias, a.user.email);
    const res = await api(t).post('/v3/accounts/logout').set(bearer(accessToken));
    expect(res.status).toBe(204);
    await expect401(await probe(accessToken));
    expect((await probe(a.accessToken)).status).toBe(200);
  });

  it('refuses a PAT on logout with 403 FORBIDDEN', async () => {
    const pat = await createPat(t, a.accessToken, ['personalAccessToken:read']);
    const res = await api(t).post('/v3/accounts/logout').set(bearer(pat.token));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await probe(pat.token)).status).toBe(200);
  });

  it('is 401 for a revoked PAT and for a deleted one', async () => {
    const revoked = await createPat(t, a.accessToken, ['personalAccessToken:read']);
    const deleted = await createPat(t, a.accessToken, ['personalAccessToken:read']);
    expect((await probe(revoked.token)).status).toBe(200);
    await api(t).patch(`${PROBE}/${revoked.id}`).set(bearer(a.accessToken)).send({ revoked: true }).expect(200);
    await api(t).delete(`${PROBE}/${deleted.id}`).set(bearer(a.accessToken)).expect(204);
    await expect401(await probe(revoked.token));
    await expect401(await probe(deleted.token));
  });

  it('is 401 for a PAT past its expiry', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 120_000).toISOString();
    const pat = await createPat(t, a.accessToken, ['personalAccessToken:read'], { expiresAt });
    t.clock.advance(110);
    expect((await probe(pat.token)).status).toBe(200);
    t.clock.advance(11);
    await expect401(await probe(pat.token));
  });

  it('is 401 for a PAT whose creator stopped being an admin', async () => {
    const admin = await createUser(t, a.accessToken, { role: 'admin' });
    const session = await login(t, a.account.alias, admin.email);
    const pat = await createPat(t, session.accessToken, ['personalAccessToken:read']);
    const child = await createPat(t, session.accessToken, ['personalAccessToken:write']);
    const grandchild = await createPat(t, child.token, ['personalAccessToken:read']);
    expect((await probe(pat.token)).status).toBe(200);
    expect((await probe(grandchild.token)).status).toBe(200);

    await api(t).patch(`/v3/users/${admin.id}`).set(bearer(a.accessToken)).send({ role: 'user' }).expect(200);
    await expect401(await probe(pat.token));
    await expect401(await probe(grandchild.token));
  });

  it('is 401 for a PAT whose creator was deleted', async () => {
    const admin = await createUser(t, a.accessToken, { role: 'admin' });
    const session = await login(t, a.account.alias, admin.email);
    const pat = await createPat(t, session.accessToken, ['personalAccessToken:read']);
    expect((await probe(pat.token)).status).toBe(200);

    await api(t).delete(`/v3/users/${admin.id}`).set(bearer(a.accessToken)).expect(204);
    await expect401(await probe(pat.token));
    await expect401(await probe(session.accessToken));
  });

  it('refuses a token in the query string with 400, even a valid one', async () => {
    const res = await api(t).get(`${PROBE}?access_token=${a.accessToken}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const mixed = await api(t).get(`${PROBE}?limit=5&access_token=${a.accessToken}`).set(bearer(a.accessToken));
    expect(mixed.status).toBe(400);
  });

  it('ignores a token in the body', async () => {
    const pat = await createPat(t, a.accessToken, []);
    const res = await api(t).patch(`${PROBE}/${pat.id}`).send({ access_token: a.accessToken });
    await expect401(res);
  });

  it('never logs a secret', () => {
    const log = t.logs.lines.join('\n');
    expect(log).not.toContain(a.accessToken);
    expect(log).not.toMatch(/lk_(pat|ses|rst)_[0-9A-Za-z]{20}/);
  });
});
