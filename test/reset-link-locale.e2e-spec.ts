import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, signUp, type SignedUp } from './helpers/factories.js';

const RESET = 'user.reset-password-request';
const HOST = 'portal.locale.test';

/** The link in an issued token's response follows the user's locale chain through the saved link templates. */
describe('reset link templates by locale, on issuance', () => {
  let t: TestApp;
  let a: SignedUp;
  let pat: string;
  const templates = () => `/v3/accounts/${a.account.id}/email-templates/${RESET}`;
  const save = async (body: Record<string, unknown>) => {
    const res = await api(t).put(templates()).set(bearer(a.accessToken)).send(body);
    expect(res.status).toBe(200);
  };
  const issue = async (locale: string | null) => {
    const user = await createUser(t, a.accessToken, locale ? { locale } : {});
    const res = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(pat)).send({});
    expect(res.status).toBe(201);
    const link = new URL(res.body.link as string);
    expect(link.searchParams.get('u')).toBe(user.id);
    expect(new URLSearchParams(link.hash.slice(1)).get('t')).toBe(res.body.resetPasswordToken);
    return `${link.host}${link.pathname}`;
  };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    a = await signUp(t);
    pat = (await createPat(t, a.accessToken, ['user:read', 'user:resetPasswordToken'])).token;
    const res = await api(t)
      .patch(`/v3/accounts/${a.account.id}`)
      .set(bearer(a.accessToken))
      .send({ allowedRedirectHosts: [HOST] });
    expect(res.status).toBe(200);
    await save({
      subject: 'Reset',
      textBody: '{{link}}',
      linkTemplate: `https://${HOST}/all?u={{user.id}}#t={{token}}`,
    });
    await save({
      locale: 'fr',
      subject: 'Réinitialiser',
      textBody: '{{link}}',
      linkTemplate: `https://${HOST}/fr?u={{user.id}}#t={{token}}`,
    });
    // A translation without a link of its own: the link falls back to the account-wide template.
    await save({ locale: 'de', subject: 'Zurücksetzen', textBody: '{{link}}' });
  }, 120_000);
  afterAll(async () => t?.close());

  it('takes the best template along the chain that has a link', async () => {
    expect(await issue('fr-CA')).toBe(`${HOST}/fr`);
    expect(await issue('fr')).toBe(`${HOST}/fr`);
    expect(await issue('de-AT')).toBe(`${HOST}/all`);
    expect(await issue(null)).toBe(`${HOST}/all`);
  });

  it('sees a template saved just before', async () => {
    await save({
      locale: 'de',
      subject: 'Zurücksetzen',
      textBody: '{{link}}',
      linkTemplate: `https://${HOST}/de?u={{user.id}}#t={{token}}`,
    });
    expect(await issue('de-AT')).toBe(`${HOST}/de`);
    const del = await api(t).delete(`${templates()}?locale=fr`).set(bearer(a.accessToken));
    expect(del.status).toBe(204);
    expect(await issue('fr')).toBe(`${HOST}/all`);
  });
});
