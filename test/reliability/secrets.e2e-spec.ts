import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { OutboxService } from '../../src/mail/outbox.service.js';
import { api, createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createPat, createUser, login, signUp, type SignedUp, STRONG_PASSWORD } from '../helpers/factories.js';
import { fetchAllEvents, guardSecrets, leaksIn, type SecretLedger } from '../helpers/secrets.js';

const P_RESET = 'tundra pelican saffron 3318 violin';
const P_UPDATE = 'obsidian marmot carousel 7702 lagoon';
const P_WRONG = 'definitely not the old password 4242';

/**
 * Every kind of secret the service issues or receives goes through its whole life — issued, used,
 * misused, revoked — including the error paths, and then none of them may be found in the
 * service's logs (every level), in any event row or the event-log API, in any error body, or left
 * in a sent outbox row (S8).
 */
describe('secrets never leak', () => {
  let t: TestApp;
  let ledger: SecretLedger;
  let a: SignedUp;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_POLL_MS: '50' });
    ledger = await guardSecrets(t);
    ledger.add(STRONG_PASSWORD, P_RESET, P_UPDATE, P_WRONG);
    a = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('through the life of sessions, PATs, reset tokens and passwords, on success and failure', async () => {
    const second = await login(t, a.account.alias, a.user.email);
    const pat = await createPat(t, a.accessToken, ['user:write', 'personalAccessToken:write']);
    const childPat = await createPat(t, pat.token, ['user:read']);
    const user = await createUser(t, a.accessToken);
    const userSession = await login(t, a.account.alias, user.email);

    // Reset tokens: one emailed and then killed by the next, one used, one reused.
    const issue = (send: boolean) =>
      api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(pat.token)).send({ send });
    const first = (await issue(true)).body.resetPasswordToken as string;
    const second2 = (await issue(false)).body.resetPasswordToken as string;
    const reset = (token: unknown, newPassword: unknown) =>
      api(t).post(`/v3/users/${user.id}/reset-password`).send({ token, newPassword });
    expect((await reset(first, P_RESET)).status).toBe(400);
    expect((await reset(second2, 'short')).body.code).toBe('WEAK_PASSWORD');
    expect((await reset(second2, `${user.email.split('@')[0]} ${P_RESET}`)).body.code).toBe('WEAK_PASSWORD');
    expect((await reset(second2, P_RESET)).status).toBe(204);
    expect((await reset(second2, P_RESET)).body.code).toBe('RESET_TOKEN_INVALID');
    expect((await reset([second2], P_RESET)).body.code).toBe('RESET_TOKEN_INVALID');
    expect((await reset(`${second2}x`, P_RESET)).body.code).toBe('RESET_TOKEN_INVALID');

    // An email-origin token, issued off the request path and sent by the worker.
    const requested = await api(t)
      .post('/v3/accounts/reset-password-request')
      .send({ accountAlias: a.account.alias, email: user.email });
    expect(requested.status).toBe(202);
    await t.app.get(OutboxService).drain();

    // Passwords: a wrong old one, a good change, a login with the old and the new.
    const me = await login(t, a.account.alias, user.email, P_RESET);
    const update = (oldPassword: string, newPassword: string) =>
      api(t)
        .post(`/v3/users/${user.id}/update-password`)
        .set(bearer(me.accessToken))
        .send({ oldPassword, newPassword });
    expect((await update(P_WRONG, P_UPDATE)).body.code).toBe('WRONG_PASSWORD');
    expect((await update(P_RESET, P_UPDATE)).status).toBe(204);
    const loginAs = (password: unknown, extra: Record<string, unknown> = {}) =>
      api(t)
        .post('/v3/accounts/login')
        .send({ accountAlias: a.account.alias, email: user.email, password, ...extra });
    expect((await loginAs(P_RESET)).status).toBe(401);
    expect((await loginAs(P_UPDATE)).status).toBe(200);
    // Secrets in the wrong places of a body are refused without being echoed.
    expect((await loginAs(P_UPDATE, { token: pat.token })).status).toBe(400);
    expect((await loginAs([P_UPDATE])).status).toBe(400);
    const misplaced = await api(t)
      .post('/v3/accounts/login')
      .send({ accountAlias: P_UPDATE, email: P_UPDATE, password: P_UPDATE });
    expect([400, 401]).toContain(misplaced.status);
    // An input the database refuses must not drag the password into an error log line either.
    const nul = await api(t)
      .post('/v3/accounts/login')
      .send({ accountAlias: a.account.alias, email: `x\u0000${user.email}`, password: P_UPDATE });
    expect(nul.status).not.toBe(200);

    // Credentials after their end: revoked PAT (and its child), logged-out session, killed sessions.
    await api(t)
      .patch(`/v3/personal-access-tokens/${pat.id}`)
      .set(bearer(a.accessToken))
      .send({ revoked: true })
      .expect(200);
    await api(t).post('/v3/accounts/logout').set(bearer(second.accessToken)).expect(204);
    for (const dead of [pat.token, childPat.token, second.accessToken, userSession.accessToken]) {
      const res = await api(t).get(`/v3/users/${user.id}`).set(bearer(dead));
      expect(res.status).toBe(401);
    }
    // Tokens in a query string and in the wrong header format.
    expect((await api(t).get(`/v3/users?access_token=${a.accessToken}`)).status).toBe(400);
    expect((await api(t).get('/v3/users').set('Authorization', `Token ${a.accessToken}`)).status).toBe(401);

    expect(ledger.secrets.size).toBeGreaterThanOrEqual(13);
    expect(ledger.errorBodies.length).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it('none is in the logs, the event rows, the event-log API, an error body or a sent outbox row', async () => {
    expect(t.logs.lines.length).toBeGreaterThan(20);
    expect(await leaksIn(t, ledger)).toEqual([]);
    const viaApi = await fetchAllEvents((route) => api(t).get(route).set(bearer(a.accessToken)));
    expect(viaApi.length).toBeGreaterThan(10);
    expect(ledger.leaks({ events: viaApi })).toEqual([]);
    // The sent reset emails are among the rows leaksIn read: their rendered bodies are gone.
    const sent: { n: string }[] = await t.app.get(DataSource).query(
      `SELECT count(*) AS n FROM outbox o JOIN users u ON u.email = o.payload->>'to'
               WHERE o.status = 'done' AND o.kind = 'email' AND u.account_id = $1`,
      [a.account.id],
    );
    expect(Number(sent[0].n)).toBeGreaterThanOrEqual(2);
  });
});
