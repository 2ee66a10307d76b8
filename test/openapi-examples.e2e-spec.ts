import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { DataSource } from 'typeorm';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer } from './helpers/factories.js';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  example?: unknown;
  anyOf?: Schema[];
};
type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

const doc = JSON.parse(fs.readFileSync('openapi.json', 'utf8')) as Doc;
const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);

/** The body Swagger UI's "Try it out" fills in: every property of the request schema, each with its example. */
function exampleBody(path: string, method: string): Record<string, unknown> {
  const schema = resolve(doc.paths[path][method].requestBody!.content['application/json'].schema);
  const body: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const property = raw.anyOf ? resolve(raw.anyOf[0]) : resolve(raw);
    // A property without an example would be filled with "string" or 0: each must have one of its own.
    expect({ path, method, name, hasExample: 'example' in property || 'example' in raw }).toMatchObject({
      hasExample: true,
    });
    body[name] = 'example' in raw ? raw.example : property.example;
  }
  return body;
}

/**
 * The README's Swagger UI walk-through with the document's own examples, sent as they are (an outside newcomer found
 * that they did not fit together: sign-up's admin was create-user's email, login's email was nobody's, a made-up
 * password was weak, the template examples were "string", and the account example weakened the account).
 */
describe('the OpenAPI examples, sent as they are, in the order of the walk-through', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
  }, 120_000);
  afterAll(async () => t?.close());

  it('sign up, log in, create a user, ask for its reset email, save and preview a template, patch the account', async () => {
    const signUp = await api(t).post('/v3/accounts').send(exampleBody('/v3/accounts', 'post'));
    expect(signUp.status).toBe(201);
    const login = await api(t).post('/v3/accounts/login').send(exampleBody('/v3/accounts/login', 'post'));
    expect(login.status).toBe(200);
    const auth = bearer(login.body.accessToken as string);
    const accountId = signUp.body.account.id as string;

    const user = await api(t).post('/v3/users').set(auth).send(exampleBody('/v3/users', 'post'));
    expect(user.status).toBe(201);
    const patched = await api(t)
      .patch(`/v3/users/${user.body.id}`)
      .set(auth)
      .send(exampleBody('/v3/users/{id}', 'patch'));
    expect(patched.status).toBe(200);

    const outboxRows = async () =>
      ((await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0].n;
    const queued = await outboxRows();
    const request = await api(t)
      .post('/v3/accounts/reset-password-request')
      .send(exampleBody('/v3/accounts/reset-password-request', 'post'));
    expect(request.status).toBe(202);
    // The request's example names the user the create-user example made: its email is on its way (an unknown user's
    // request queues nothing).
    expect(await outboxRows()).toBe(queued + 1);

    const template = `/v3/accounts/${accountId}/email-templates/user.password-changed`;
    const put = await api(t)
      .put(template)
      .set(auth)
      .send(exampleBody('/v3/accounts/{id}/email-templates/{event}', 'put'));
    expect(put.status).toBe(200);
    const preview = await api(t)
      .post(`${template}/preview`)
      .set(auth)
      .send(exampleBody('/v3/accounts/{id}/email-templates/{event}/preview', 'post'));
    expect(preview.status).toBe(200);

    const settings = (await api(t).get(`/v3/accounts/${accountId}`).set(auth)).body as Record<string, unknown>;
    const patch = await api(t)
      .patch(`/v3/accounts/${accountId}`)
      .set(auth)
      .send(exampleBody('/v3/accounts/{id}', 'patch'));
    expect(patch.status).toBe(200);
    // The example is the defaults: trying it out weakens nothing.
    expect(patch.body).toEqual({ ...settings, updatedAt: expect.any(String) });
  });
});
