import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { generateToken } from '../../src/auth/token-format.js';
import { api, createTestApp, type TestApp } from '../helpers/app.js';
import { PasswordHasher } from '../../src/passwords/password-hasher.js';
import { PasswordStrength } from '../../src/passwords/password-strength.js';
import {
  bearer,
  createUser,
  login,
  signUp,
  type SignedUp,
  STRONG_PASSWORD,
  uniqueAlias,
} from '../helpers/factories.js';
import { closeWithoutLeaks, guardSecrets, type SecretLedger } from '../helpers/secrets.js';

/** Any error: below 500 (unless `status` says otherwise) and in the contract's shape. */
function expectError(res: Response, status?: number, code?: string): void {
  const summary = { status: res.status, body: res.body as unknown };
  expect(summary.status).toBeLessThan(500);
  if (status !== undefined) expect(summary).toMatchObject({ status });
  expect(res.body).toEqual(
    expect.objectContaining({
      statusCode: res.status,
      error: expect.any(String),
      message: expect.any(String),
      code: code ?? expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
    }),
  );
  expect(res.text).not.toMatch(/\n\s+at |QueryFailedError|SELECT |INSERT |UPDATE /);
}

/** A `depth`-deep JSON value: nested arrays, or objects under `key`. */
const nested = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const BAD_UUIDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-0000000000000',
  '00000000000000000000000000000000',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000-0000-0000-0000-000000000000%00',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  "1'%20OR%20'1'%3D'1",
  '%E2%80%AE00000000-0000-0000-0000-000000000000',
  '０００００００００-0000-0000-0000-000000000000',
  'x'.repeat(2000),
  'x'.repeat(2100),
  'x'.repeat(10_000),
];

describe('hostile input', () => {
  let t: TestApp;
  let ledger: SecretLedger;
  let a: SignedUp;
  let user: { id: string; email: string };
  let base: string;

  const countRows = async () => {
    const [row] = await t.app.get(DataSource).query(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM accounts) AS accounts,
              (SELECT count(*) FROM personal_access_tokens) AS pats, (SELECT count(*) FROM reset_tokens) AS resets,
              (SELECT count(*) FROM email_templates) AS templates, (SELECT count(*) FROM outbox) AS outbox`,
    );
    return row as Record<string, string>;
  };

  /** A sign-up body that is valid but for `overrides`. */
  const newAccount = (overrides: Record<string, unknown>) => ({
    name: 'Lone',
    alias: uniqueAlias('lone'),
    email: 'owner@lone.test',
    password: STRONG_PASSWORD,
    firstName: 'L',
    lastName: 'S',
    ...overrides,
  });
  /** POST /v3/users with the admin session: a valid new user but for `overrides`. */
  const postUser = (overrides: Record<string, unknown>) =>
    api(t)
      .post('/v3/users')
      .set(bearer(a.accessToken))
      .send({ email: `u-${uniqueAlias('x')}@example.test`, firstName: 'N', lastName: 'U', ...overrides });

  /** A request on a raw socket, for what supertest will not send (chunked bodies, raw bytes). */
  const raw = (
    method: string,
    path: string,
    headers: Record<string, string>,
    chunks: Buffer[],
  ): Promise<{ status: number; body: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const req = http.request(`${base}${path}`, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    ledger = await guardSecrets(t);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    a = await signUp(t);
    user = await createUser(t, a.accessToken);
    ledger.add(STRONG_PASSWORD);
  }, 120_000);
  afterAll(() => closeWithoutLeaks(t, ledger));

  describe('oversized bodies', () => {
    const big = JSON.stringify({ name: 'x'.repeat(200_000) });

    it('are 413 PAYLOAD_TOO_LARGE on every kind of route, public or not, and change nothing', async () => {
      const before = await countRows();
      const routes: [string, string][] = [
        ['POST', '/v3/accounts'],
        ['POST', '/v3/accounts/login'],
        ['POST', '/v3/accounts/reset-password-request'],
        ['POST', `/v3/users/${user.id}/reset-password`],
        ['POST', '/v3/users'],
        ['PATCH', `/v3/accounts/${a.account.id}`],
        ['PUT', `/v3/accounts/${a.account.id}/email-templates/user.reset-password-request`],
      ];
      for (const [method, path] of routes) {
        const res = await api(t)
          [method.toLowerCase() as 'post'](path)
          .set(bearer(a.accessToken))
          .set('content-type', 'application/json')
          .send(big);
        expectError(res, 413, 'PAYLOAD_TOO_LARGE');
      }
      expect(await countRows()).toEqual(before);
    });

    it('are 413 when sent chunked, without a Content-Length', async () => {
      const chunk = Buffer.from(`"${'y'.repeat(16_000)}`);
      const res = await raw(
        'POST',
        '/v3/accounts/login',
        { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        [Buffer.from('{"email":'), ...Array<Buffer>(10).fill(chunk), Buffer.from('"}')],
      );
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('are 413 when a small gzip body inflates past the limit, and an unknown encoding is 415', async () => {
      const bomb = zlib.gzipSync(Buffer.from(JSON.stringify({ email: 'a'.repeat(5_000_000) })));
      expect(bomb.length).toBeLessThan(20_000);
      const res = await raw(
        'POST',
        '/v3/accounts/login',
        { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) },
        [bomb],
      );
      expect(res.status).toBe(413);
      const odd = await raw(
        'POST',
        '/v3/accounts/login',
        { 'content-type': 'application/json', 'content-encoding': 'zstd', 'content-length': '2' },
        [Buffer.from('{}')],
      );
      expect(odd.status).toBe(415);
      expect(odd.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('decode a gzip body that fits, and answer a corrupt one with 400', async () => {
      const login = zlib.gzipSync(
        Buffer.from(JSON.stringify({ accountAlias: 'nobody', email: 'x@y.test', password: 'p' })),
      );
      const decoded = await raw(
        'POST',
        '/v3/accounts/login',
        { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(login.length) },
        [login],
      );
      // Read as the JSON it holds: a login that fails on its merits, not on its encoding.
      expect(decoded.status).toBe(401);
      const corrupt = await raw(
        'POST',
        '/v3/accounts/login',
        { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '8' },
        [Buffer.from('notgzip!')],
      );
      expect(corrupt.status).toBe(400);
      expect(corrupt.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('content types', () => {
    it.each([
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/jsonx',
      'text/json',
      'application/json; charset=latin1',
      'application/json; charset=ebcdic',
    ])('%s is 415 UNSUPPORTED_MEDIA_TYPE', async (type) => {
      const res = await api(t)
        .post('/v3/accounts/login')
        .set('content-type', type)
        .send(Buffer.from('{"accountAlias":"a","email":"b@c.test","password":"p"}'));
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('UTF-16 JSON is refused (400 or 415), never a 5xx', async () => {
      const res = await api(t)
        .post('/v3/accounts/login')
        .set('content-type', 'application/json; charset=utf-16')
        .send(Buffer.from('{"accountAlias":"a","email":"b@c.test","password":"p"}', 'utf16le'));
      expect([400, 415]).toContain(res.status);
      expectError(res);
    });

    it.each([
      ['a stray continuation byte', Buffer.from([0x80])],
      ['a truncated sequence', Buffer.from([0xc3, 0x28])],
      ['0xFF', Buffer.from([0xff])],
      ['an overlong encoding of "/"', Buffer.from([0xc0, 0xaf])],
      ['an encoded surrogate (CESU-8)', Buffer.from([0xed, 0xa0, 0x80])],
    ])('bytes that are not UTF-8 (%s) are 400, never repaired into U+FFFD and stored', async (_, bad) => {
      const before = await countRows();
      const body = Buffer.concat([
        Buffer.from('{"email":"utf8-'),
        bad,
        Buffer.from('@example.test","firstName":"Ann'),
        bad,
        Buffer.from('","lastName":"Bee"}'),
      ]);
      const json = { 'content-type': 'application/json' };
      const res = await raw('POST', '/v3/users', { ...json, authorization: `Bearer ${a.accessToken}` }, [body]);
      expect(res).toEqual({
        status: 400,
        body: expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: [{ field: 'body', message: 'The body is not valid UTF-8.' }],
        }),
      });
      expect(await countRows()).toEqual(before);
      // On reset-password a body that cannot be read is a token that cannot be read (as unparsable JSON is).
      const reset = await raw('POST', `/v3/users/${user.id}/reset-password`, json, [
        Buffer.concat([Buffer.from('{"token":"x'), bad, Buffer.from('","newPassword":"p"}')]),
      ]);
      expect(reset).toEqual({ status: 400, body: expect.objectContaining({ code: 'RESET_TOKEN_INVALID' }) });
    });

    it('a body without a content type is 415; a +json type never reaches a handler unparsed', async () => {
      const none = await raw('POST', '/v3/accounts/login', { 'content-length': '2' }, [Buffer.from('{}')]);
      expect(none.status).toBe(415);
      const before = await countRows();
      const vendor = await api(t)
        .post('/v3/users')
        .set(bearer(a.accessToken))
        .set('content-type', 'application/vnd.api+json')
        .send(JSON.stringify({ email: 'vendor@example.test', firstName: 'V', lastName: 'W' }));
      expect([201, 400, 415]).toContain(vendor.status);
      if (vendor.status !== 201) {
        expectError(vendor);
        expect(await countRows()).toEqual(before);
      }
    });
  });

  describe('deeply nested JSON', () => {
    it.each([
      ['a 40 000-deep array as the body', nested(40_000, 'array')],
      ['a 15 000-deep object as the body', nested(15_000, 'object')],
      [
        'a 15 000-deep object in metadata',
        `{"email":"deep@example.test","firstName":"D","lastName":"E","metadata":${nested(15_000, 'object')}}`,
      ],
      ['a 40 000-deep array as the email', `{"email":${nested(40_000, 'array')},"firstName":"D","lastName":"E"}`],
    ])('%s is a 4xx, not a crash', async (_, body) => {
      const before = await countRows();
      const res = await api(t)
        .post('/v3/users')
        .set(bearer(a.accessToken))
        .set('content-type', 'application/json')
        .send(body);
      expectError(res, 400);
      expect(await countRows()).toEqual(before);
    });

    it('a deep body on reset-password is RESET_TOKEN_INVALID', async () => {
      const res = await api(t)
        .post(`/v3/users/${user.id}/reset-password`)
        .set('content-type', 'application/json')
        .send(`{"token":${nested(15_000, 'object')},"newPassword":"x"}`);
      expectError(res, 400, 'RESET_TOKEN_INVALID');
    });
  });

  describe('NUL bytes and control characters', () => {
    const NUL = 'a\u0000b';

    it.each([
      ['email', { email: `nul${NUL}@example.test`, firstName: 'N', lastName: 'U' }],
      ['firstName', { email: 'nul1@example.test', firstName: NUL, lastName: 'U' }],
      ['lastName', { email: 'nul2@example.test', firstName: 'N', lastName: NUL }],
      ['company', { email: 'nul3@example.test', firstName: 'N', lastName: 'U', company: NUL }],
      ['locale', { email: 'nul4@example.test', firstName: 'N', lastName: 'U', locale: `de${NUL}` }],
      ['a metadata value', { email: 'nul5@example.test', firstName: 'N', lastName: 'U', metadata: { k: NUL } }],
      ['a metadata key', { email: 'nul6@example.test', firstName: 'N', lastName: 'U', metadata: { [NUL]: 1 } }],
      ['password', { email: 'nul7@example.test', firstName: 'N', lastName: 'U', password: `${STRONG_PASSWORD}\u0000` }],
    ])('in a new user’s %s: never a 5xx, and a refusal changes nothing', async (_, body) => {
      const before = await countRows();
      const res = await api(t).post('/v3/users').set(bearer(a.accessToken)).send(body);
      if (res.status === 201) {
        expect(JSON.stringify(res.body)).not.toContain('\u0000');
      } else {
        expectError(res, 400);
        expect(await countRows()).toEqual(before);
      }
    });

    it('in sign-up, login, reset request, PATCH and list filters: never a 5xx', async () => {
      const results = [
        await api(t)
          .post('/v3/accounts')
          .send({
            name: `Nul${NUL}`,
            alias: `nul-${Date.now().toString(36)}`,
            email: 'owner@nul.test',
            password: STRONG_PASSWORD,
            firstName: 'N',
            lastName: 'U',
          }),
        await api(t)
          .post('/v3/accounts')
          .send({
            name: 'Nul',
            alias: `nul${NUL}x`,
            email: 'owner@nul.test',
            password: STRONG_PASSWORD,
            firstName: 'N',
            lastName: 'U',
          }),
        await api(t)
          .post('/v3/accounts/login')
          .send({ accountAlias: a.account.alias, email: `x${NUL}@y.test`, password: NUL }),
        await api(t)
          .post('/v3/accounts/login')
          .send({ accountAlias: `al${NUL}`, email: a.user.email, password: 'p' }),
        await api(t)
          .post('/v3/accounts/reset-password-request')
          .send({ accountAlias: a.account.alias, email: `x${NUL}@y.test` }),
        await api(t).patch(`/v3/users/${user.id}`).set(bearer(a.accessToken)).send({ firstName: NUL }),
        await api(t).patch(`/v3/accounts/${a.account.id}`).set(bearer(a.accessToken)).send({ name: NUL }),
        await api(t).get('/v3/users').set(bearer(a.accessToken)).query({ search: NUL }),
        await api(t).get('/v3/users').set(bearer(a.accessToken)).query({ email: NUL }),
        await api(t)
          .post('/v3/personal-access-tokens')
          .set(bearer(a.accessToken))
          .send({ name: NUL, scopes: ['user:read'] }),
        await api(t)
          .put(`/v3/accounts/${a.account.id}/email-templates/user.password-changed`)
          .set(bearer(a.accessToken))
          .send({ subject: NUL, textBody: NUL }),
      ];
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      for (const r of results.filter((x) => x.status >= 400)) expectError(r);
      for (const r of results.filter((x) => x.status < 300)) expect(JSON.stringify(r.body)).not.toContain('\\u0000');
    });
  });

  describe('lone surrogates and numbers JSON cannot hold', () => {
    const LONE = 'a\ud800b';
    const webhookRows = async () =>
      (await t.app.get(DataSource).query(`SELECT count(*) AS n FROM webhooks`)) as [{ n: string }];

    // Each of these answered 500 (isEmail's encodeURI threw, or PostgreSQL's jsonb refused the text) or stored U+FFFD.
    it.each([
      [
        'sign-up email',
        () =>
          api(t)
            .post('/v3/accounts')
            .send(newAccount({ email: `o${LONE}@lone.test` })),
      ],
      [
        'sign-up name',
        () =>
          api(t)
            .post('/v3/accounts')
            .send(newAccount({ name: `Lone ${LONE}` })),
      ],
      [
        'reset request alias',
        () => api(t).post('/v3/accounts/reset-password-request').send({ accountAlias: LONE, email: a.user.email }),
      ],
      [
        'reset request email',
        () =>
          api(t)
            .post('/v3/accounts/reset-password-request')
            .send({ accountAlias: a.account.alias, email: `x${LONE}@example.test` }),
      ],
      ['new user email', () => postUser({ email: `x${LONE}@example.test` })],
      ['new user firstName', () => postUser({ firstName: LONE })],
      ['new user company', () => postUser({ company: LONE })],
      ['new user metadata value', () => postUser({ metadata: { k: LONE } })],
      ['new user metadata key', () => postUser({ metadata: { ['\udc00']: 1 } })],
      [
        'PAT name',
        () =>
          api(t)
            .post('/v3/personal-access-tokens')
            .set(bearer(a.accessToken))
            .send({ name: LONE, scopes: ['user:read'] }),
      ],
      [
        'template replyTo',
        () =>
          api(t)
            .put(`/v3/accounts/${a.account.id}/email-templates/user.password-changed`)
            .set(bearer(a.accessToken))
            .send({ subject: 'Hi', textBody: 'x', replyTo: `r${LONE}@example.test` }),
      ],
      [
        'template subject',
        () =>
          api(t)
            .put(`/v3/accounts/${a.account.id}/email-templates/user.password-changed`)
            .set(bearer(a.accessToken))
            .send({ subject: `Hi ${LONE}`, textBody: 'x' }),
      ],
      [
        'webhook url',
        () =>
          api(t)
            .post('/v3/webhooks')
            .set(bearer(a.accessToken))
            .send({ url: `https://hooks.example/${LONE}`, events: ['user.deleted'] }),
      ],
    ])('in a %s: 400 VALIDATION_FAILED, and nothing is stored', async (_, send) => {
      const before = { rows: await countRows(), webhooks: await webhookRows() };
      const res = await send();
      expectError(res, 400, 'VALIDATION_FAILED');
      expect({ rows: await countRows(), webhooks: await webhookRows() }).toEqual(before);
    });

    it('in a change of a user or an account: 400, and nothing changes', async () => {
      const auth = bearer(a.accessToken);
      const userBefore = (await api(t).get(`/v3/users/${user.id}`).set(auth)).body as Record<string, unknown>;
      const accountBefore = (await api(t).get(`/v3/accounts/${a.account.id}`).set(auth)).body as Record<
        string,
        unknown
      >;
      for (const body of [{ email: `x${LONE}@example.test` }, { lastName: LONE }, { metadata: { k: LONE } }]) {
        expectError(await api(t).patch(`/v3/users/${user.id}`).set(auth).send(body), 400, 'VALIDATION_FAILED');
      }
      expectError(
        await api(t).patch(`/v3/accounts/${a.account.id}`).set(auth).send({ name: LONE }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await api(t).get(`/v3/users/${user.id}`).set(auth)).body).toEqual(userBefore);
      expect((await api(t).get(`/v3/accounts/${a.account.id}`).set(auth)).body).toEqual(accountBefore);
    });

    it('in a login field is a wrong credential (401), as the contract says for any wrong alias, email or password', async () => {
      for (const body of [
        { accountAlias: LONE, email: a.user.email, password: STRONG_PASSWORD },
        { accountAlias: a.account.alias, email: `${LONE}@example.test`, password: STRONG_PASSWORD },
      ]) {
        expectError(await api(t).post('/v3/accounts/login').send(body), 401, 'INVALID_CREDENTIALS');
      }
    });

    it('a character outside the BMP (a well-formed surrogate pair) is text like any other', async () => {
      const res = await postUser({ firstName: 'Ada 😀', metadata: { '😀': '𝄞' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ firstName: 'Ada 😀', metadata: { '😀': '𝄞' } });
    });

    it('1e309 (Infinity once parsed) anywhere in a body is 400, never stored as null', async () => {
      const before = await countRows();
      for (const text of [
        `{"email":"inf@example.test","firstName":"I","lastName":"N","metadata":{"n":1e309}}`,
        `{"email":"inf@example.test","firstName":"I","lastName":"N","metadata":{"n":[-1e309]}}`,
      ]) {
        const res = await api(t)
          .post('/v3/users')
          .set(bearer(a.accessToken))
          .set('content-type', 'application/json')
          .send(text);
        expectError(res, 400, 'VALIDATION_FAILED');
      }
      expect(await countRows()).toEqual(before);
    });
  });

  describe('names, lengths and settings: refused rather than silently rewritten', () => {
    const ASTRAL = '😀';

    it.each([
      ['a BOM at the start of a first name', { firstName: '\ufeffAda' }],
      ['a BOM at the end of a last name', { lastName: 'Lovelace\ufeff' }],
      ['a tab at the end of a company', { company: 'Engines\t' }],
      ['101 characters outside the BMP in a first name', { firstName: ASTRAL.repeat(101) }],
      ['a locale after a tab', { locale: '\tde' }],
      ['a locale with a newline after it', { locale: 'en-GB\n' }],
    ])('%s is 400, and nothing is stored', async (_, fields) => {
      const before = await countRows();
      expectError(await postUser(fields), 400, 'VALIDATION_FAILED');
      expect(await countRows()).toEqual(before);
    });

    it('a name is counted in characters (code points), and trimmed of spaces only', async () => {
      const res = await postUser({ firstName: ASTRAL.repeat(100), lastName: ' Olive ', locale: 'TR-tr' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ firstName: ASTRAL.repeat(100), lastName: 'Olive', locale: 'tr-TR' });
    });

    it('a maxLength counts code points, variation selectors included', async () => {
      const auth = bearer(a.accessToken);
      const before = await countRows();
      const pat = (name: string) =>
        api(t)
          .post('/v3/personal-access-tokens')
          .set(auth)
          .send({ name, scopes: ['user:read'] });
      // 100 "characters" to class-validator, 200 code points to the document's maxLength of 100.
      expectError(await pat('a\ufe0f'.repeat(100)), 400, 'VALIDATION_FAILED');
      expectError(
        await api(t)
          .put(`/v3/accounts/${a.account.id}/email-templates/user.password-changed`)
          .set(auth)
          .send({ subject: 'a\ufe0f'.repeat(200), textBody: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(await countRows()).toEqual(before);
      expect((await pat(`${ASTRAL.repeat(50)}${'a'.repeat(50)}`)).status).toBe(201);
    });

    it('an allowed redirect host is taken as written: the Kelvin sign and upper case are refused, never folded', async () => {
      const auth = bearer(a.accessToken);
      const account = `/v3/accounts/${a.account.id}`;
      const before = (await api(t).get(account).set(auth)).body.allowedRedirectHosts as string[];
      expectError(
        await api(t)
          .patch(account)
          .set(auth)
          .send({ allowedRedirectHosts: ['\u212aey.example.com'] }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await api(t).get(account).set(auth)).body.allowedRedirectHosts).toEqual(before);
      const upper = await api(t)
        .patch(account)
        .set(auth)
        .send({ allowedRedirectHosts: ['PORTAL.example.com'] });
      expect(upper.status).toBe(400);
      expect(upper.body.details).toEqual([
        {
          field: 'allowedRedirectHosts',
          message: 'each value in allowedRedirectHosts must be written as portal.example.com',
        },
      ]);
      expect((await api(t).get(account).set(auth)).body.allowedRedirectHosts).toEqual(before);
      await api(t).patch(account).set(auth).send({ allowedRedirectHosts: before });
    });

    it('a bearer token after more than one space is a bearer token (RFC 7235: 1*SP)', async () => {
      const res = await api(t).get(`/v3/users/${user.id}`).set('Authorization', `Bearer   ${a.accessToken}`);
      expect(res.status).toBe(200);
      const tab = await api(t).get(`/v3/users/${user.id}`).set('Authorization', `Bearer\t${a.accessToken}`);
      expectError(tab, 401, 'UNAUTHENTICATED');
    });
  });

  describe('very long strings', () => {
    const long = 'L'.repeat(90_000);

    it('in every field of a new user are 400, never stored', async () => {
      const before = await countRows();
      for (const field of ['email', 'firstName', 'lastName', 'company', 'locale', 'password']) {
        const res = await api(t)
          .post('/v3/users')
          .set(bearer(a.accessToken))
          .send({ email: 'long@example.test', firstName: 'L', lastName: 'O', [field]: long });
        expectError(res, 400);
      }
      expect(await countRows()).toEqual(before);
    });

    it.each([300, 90_000])(
      'a %i-character password is refused fast with WEAK_PASSWORD (the contract: too long is weak)',
      async (length) => {
        const started = Date.now();
        const password = `${STRONG_PASSWORD} ${'L'.repeat(length)}`.slice(0, length);
        const signup = await api(t)
          .post('/v3/accounts')
          .send({
            name: 'Longpass',
            alias: `longpass-${Date.now().toString(36)}`,
            email: 'o@longpass.test',
            password,
            firstName: 'L',
            lastName: 'P',
          });
        expectError(signup, 400, 'WEAK_PASSWORD');
        const loginRes = await api(t)
          .post('/v3/accounts/login')
          .send({ accountAlias: a.account.alias, email: a.user.email, password });
        expect([400, 401]).toContain(loginRes.status);
        expectError(loginRes);
        // zxcvbn or argon2 over the whole input would take far longer.
        expect(Date.now() - started).toBeLessThan(5000);
      },
    );

    it('in query strings and headers are 4xx or ignored, never 5xx', async () => {
      const q = 'q'.repeat(6000);
      const results = [
        await api(t).get('/v3/users').set(bearer(a.accessToken)).query({ search: q }),
        await api(t).get('/v3/users').set(bearer(a.accessToken)).query({ email: q }),
        await api(t).get('/v3/users').set(bearer(a.accessToken)).query({ sort: q }),
        await api(t).get('/v3/event-logs').set(bearer(a.accessToken)).query({ action: q }),
        await api(t)
          .get('/v3/users')
          .set('Authorization', `Bearer ${'t'.repeat(8000)}`),
        await api(t)
          .get('/v3/users')
          .set('Authorization', `Bearer lk_pat_${'A'.repeat(8000)}`),
        await api(t).get('/health').set('X-Request-Id', 'r'.repeat(8000)),
        await api(t).get('/health').set('X-Forwarded-For', Array(500).fill('10.0.0.1').join(', ')),
        await api(t).get('/health').set('User-Agent', 'u'.repeat(8000)),
      ];
      expect(results.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
      for (const r of results.filter((x) => x.status >= 400)) expectError(r);
      expect(results[4].status).toBe(401);
      expect(results[6].headers['x-request-id']).not.toContain('rrrr');
    });
  });

  describe('passwords past 1,024 UTF-16 code units, and lone surrogates', () => {
    // Combining marks of classes 240 and 220 alternating: every pair reorders, so NFC over these
    // 96 KB of UTF-8 takes about a second of the event loop.
    const stall = `a${'\u0345\u0316'.repeat(24_000)}`;
    const tooLong = `${STRONG_PASSWORD} ${'x'.repeat(1024)}`;
    const lone = `${STRONG_PASSWORD} \ud800`;
    type Spy = { mock: { calls: unknown[][]; contexts: unknown[] } };
    let normalize: Spy, score: Spy, hash: Spy;

    beforeEach(() => {
      normalize = jest.spyOn(String.prototype, 'normalize');
      score = jest.spyOn(t.app.get(PasswordStrength), 'score');
      hash = jest.spyOn(t.app.get(PasswordHasher), 'hash');
    });
    afterEach(() => {
      jest.restoreAllMocks();
    });

    /**
     * Nothing normalised, scored or hashed a string past the bound, nor a lone surrogate (argon2
     * verification normalises first, so the normalize spy sees it too).
     */
    const expectUntouched = () => {
      const bad = (s: unknown) => {
        const v = String(s);
        return v.length > 1024 || /\p{Cs}/u.test(v);
      };
      expect(normalize.mock.contexts.filter(bad).map((s) => String(s).length)).toEqual([]);
      expect(score.mock.calls.filter(([p]) => bad(p)).length).toBe(0);
      expect(hash.mock.calls.filter(([p]) => bad(p)).length).toBe(0);
    };
    const signUpWith = (password: string) =>
      api(t)
        .post('/v3/accounts')
        .send({
          name: 'Stall',
          alias: uniqueAlias('stall'),
          email: 'o@stall.test',
          password,
          firstName: 'S',
          lastName: 'T',
        });

    it('on sign-up are WEAK_PASSWORD before anything normalises, scores or hashes them; /health keeps answering', async () => {
      const before = await countRows();
      const refusals = Promise.all([signUpWith(stall), signUpWith(stall), signUpWith(stall)]);
      const started = performance.now();
      const health = await api(t).get('/health');
      const healthMs = performance.now() - started;
      const results = await refusals;
      const allMs = performance.now() - started;
      process.stdout.write(
        `stall passwords: /health ${healthMs.toFixed(0)} ms, three refusals ${allMs.toFixed(0)} ms\n`,
      );
      for (const r of results) expectError(r, 400, 'WEAK_PASSWORD');
      expect(health.status).toBe(200);
      expectUntouched();
      // Normalising them took 1.4 s each on the reference machine; a refusal takes milliseconds.
      expect(healthMs).toBeLessThan(1500);
      expect(await countRows()).toEqual(before);
    });

    it.each([
      ['too long', tooLong],
      ['with a lone surrogate', lone],
    ])('%s: WEAK_PASSWORD for every new password, WRONG_PASSWORD for an old one, 401 at login', async (_, bad) => {
      const user = await createUser(t, a.accessToken);
      const session = await login(t, a.account.alias, user.email);
      const before = await countRows();

      expectError(await signUpWith(bad), 400, 'WEAK_PASSWORD');
      expectError(
        await api(t)
          .post('/v3/users')
          .set(bearer(a.accessToken))
          .send({ email: 'bad-password@example.test', firstName: 'B', lastName: 'P', password: bad }),
        400,
        'WEAK_PASSWORD',
      );
      const updatePassword = (body: object) =>
        api(t).post(`/v3/users/${user.id}/update-password`).set(bearer(session.accessToken)).send(body);
      expectError(await updatePassword({ oldPassword: STRONG_PASSWORD, newPassword: bad }), 400, 'WEAK_PASSWORD');
      expectError(
        await updatePassword({ oldPassword: bad, newPassword: 'amber comet teacup harbor 9153' }),
        400,
        'WRONG_PASSWORD',
      );
      expectError(
        await api(t)
          .post('/v3/accounts/login')
          .send({ accountAlias: a.account.alias, email: user.email, password: bad }),
        401,
        'INVALID_CREDENTIALS',
      );

      // reset-password judges the token first: without a live one, the password is not looked at.
      const reset = (token: string) =>
        api(t).post(`/v3/users/${user.id}/reset-password`).send({ token, newPassword: bad });
      expectError(await reset(generateToken('rst')), 400, 'RESET_TOKEN_INVALID');
      const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
      expect(issued.status).toBe(201);
      expectError(await reset(issued.body.resetPasswordToken as string), 400, 'WEAK_PASSWORD');
      const tokens = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(tokens.body).toHaveLength(1);

      expectUntouched();
      // No account or user was made; the one new row is the reset token, still unused.
      const after = await countRows();
      expect({ ...after, resets: Number(after.resets) - 1 }).toEqual({ ...before, resets: Number(before.resets) });
    });

    it('exactly 1,024 code units reach the policy, which answers with its own reason', async () => {
      const res = await signUpWith(`${STRONG_PASSWORD} ${'y'.repeat(1024 - STRONG_PASSWORD.length - 1)}`);
      expectError(res, 400, 'WEAK_PASSWORD');
      expect(res.body.message).toMatch(/at most 256 characters/);
    });
  });

  describe('bad UUIDs', () => {
    it.each(BAD_UUIDS.map((id) => [id.length > 60 ? `${id.slice(0, 8)}… (${id.length} characters)` : id, id]))(
      '%s in a path is 400 VALIDATION_FAILED everywhere (RESET_TOKEN_INVALID on reset-password)',
      async (_, id) => {
        const auth = bearer(a.accessToken);
        const routes: [string, string, number, string][] = [
          ['get', `/v3/users/${id}`, 400, 'VALIDATION_FAILED'],
          ['patch', `/v3/users/${id}`, 400, 'VALIDATION_FAILED'],
          ['delete', `/v3/users/${id}`, 400, 'VALIDATION_FAILED'],
          ['get', `/v3/accounts/${id}`, 400, 'VALIDATION_FAILED'],
          ['get', `/v3/personal-access-tokens/${id}`, 400, 'VALIDATION_FAILED'],
          ['post', `/v3/users/${id}/reset-password-token`, 400, 'VALIDATION_FAILED'],
          ['get', `/v3/users/${id}/reset-password-tokens`, 400, 'VALIDATION_FAILED'],
          ['post', `/v3/users/${id}/reset-password`, 400, 'RESET_TOKEN_INVALID'],
        ];
        for (const [method, path, status, code] of routes) {
          const req = api(t)[method as 'get'](path).set(auth);
          const res =
            method === 'get' || method === 'delete'
              ? await req
              : await req.send({ token: generateToken('rst'), newPassword: STRONG_PASSWORD });
          // A path Express cannot even route (an encoded slash) is a plain 404.
          if (res.status === 404) expectError(res, 404, 'NOT_FOUND');
          else expectError(res, status, code);
        }
      },
    );

    it('an unknown email-template event and a bad locale are 4xx', async () => {
      const auth = bearer(a.accessToken);
      const results = [
        await api(t)
          .put(`/v3/accounts/${a.account.id}/email-templates/user.nothing`)
          .set(auth)
          .send({ subject: 's', textBody: 't' }),
        await api(t)
          .put(`/v3/accounts/${a.account.id}/email-templates/${'e'.repeat(3000)}`)
          .set(auth)
          .send({ subject: 's', textBody: 't' }),
        await api(t)
          .delete(`/v3/accounts/${a.account.id}/email-templates/user.password-changed?locale=${'%00'.repeat(3)}`)
          .set(auth),
        await api(t).post(`/v3/accounts/${a.account.id}/email-templates/__proto__/preview`).set(auth).send({}),
      ];
      for (const r of results) expectError(r);
    });
  });

  describe('tokens in query strings', () => {
    it('a valid session in ?access_token is refused, not used, on every route', async () => {
      for (const path of [
        '/v3/users',
        `/v3/accounts/${a.account.id}`,
        '/v3/event-logs',
        '/v3/personal-access-tokens',
      ]) {
        const res = await api(t).get(`${path}?x=1&access_token=${a.accessToken}`);
        expectError(res, 400, 'VALIDATION_FAILED');
      }
    });

    it('a reset token in the query string is not a credential, and stays unused', async () => {
      const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
      expect(issued.status).toBe(201);
      const token = issued.body.resetPasswordToken as string;
      const viaQuery = await api(t)
        .post(`/v3/users/${user.id}/reset-password?token=${token}`)
        .send({ newPassword: 'plaid otter marmalade 5521 kettle' });
      expectError(viaQuery, 400, 'RESET_TOKEN_INVALID');
      const viaHeader = await api(t)
        .post(`/v3/users/${user.id}/reset-password`)
        .set('Authorization', `Bearer ${token}`)
        .send({ newPassword: 'plaid otter marmalade 5521 kettle' });
      expectError(viaHeader, 400, 'RESET_TOKEN_INVALID');
      const tokens = await api(t).get(`/v3/users/${user.id}/reset-password-tokens`).set(bearer(a.accessToken));
      expect(tokens.body).toHaveLength(1);
    });
  });

  describe('shapes and types', () => {
    it.each([
      ['null', 'null'],
      ['an array', '[]'],
      ['a string', '"hello"'],
      ['a number', '42'],
      ['true', 'true'],
      ['a huge number', '{"expiresInSeconds":1e400}'],
      ['duplicate keys', '{"expiresInSeconds":60,"expiresInSeconds":"60"}'],
      ['a string number', '{"expiresInSeconds":"600"}'],
      ['a fraction', '{"expiresInSeconds":600.5}'],
      ['negative zero', '{"expiresInSeconds":-0}'],
      ['a lone surrogate', '{"send":"\\ud800"}'],
      ['a BOM', '\ufeff{}'],
    ])('%s as the issuance body is a 4xx or a 201, never a 5xx', async (_, body) => {
      const res = await api(t)
        .post(`/v3/users/${user.id}/reset-password-token`)
        .set(bearer(a.accessToken))
        .set('content-type', 'application/json')
        .send(body);
      if (res.status !== 201) expectError(res, 400);
    });

    it.each([
      'name',
      'resetTokenTtlSeconds',
      'resetTokenMaxTtlSeconds',
      'allowedRedirectHosts',
      'minPasswordLength',
      'notifyOnPasswordChange',
    ])('null for the account’s %s is 400 VALIDATION_FAILED and changes nothing', async (field) => {
      const before = await api(t).get(`/v3/accounts/${a.account.id}`).set(bearer(a.accessToken));
      const res = await api(t)
        .patch(`/v3/accounts/${a.account.id}`)
        .set(bearer(a.accessToken))
        .send({ [field]: null });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect([...new Set(res.body.details.map((d: { field: string }) => d.field))]).toEqual([field]);
      const after = await api(t).get(`/v3/accounts/${a.account.id}`).set(bearer(a.accessToken));
      expect(after.body).toEqual(before.body);
    });

    it('null for an email template’s locale is 400 VALIDATION_FAILED on PUT and preview; null clears what may be cleared', async () => {
      const templates = `/v3/accounts/${a.account.id}/email-templates/user.password-changed`;
      const before = await countRows();
      const put = await api(t)
        .put(templates)
        .set(bearer(a.accessToken))
        .send({ locale: null, subject: 'Changed', textBody: 'Your password changed.' });
      expectError(put, 400, 'VALIDATION_FAILED');
      expect([...new Set(put.body.details.map((d: { field: string }) => d.field))]).toEqual(['locale']);
      for (const body of [{ locale: null }, { subject: null }]) {
        const preview = await api(t).post(`${templates}/preview`).set(bearer(a.accessToken)).send(body);
        expectError(preview, 400, 'VALIDATION_FAILED');
      }
      expect(await countRows()).toEqual(before);
      // A PUT replaces the whole template: null for an optional part is the same as leaving it out.
      const saved = await api(t).put(templates).set(bearer(a.accessToken)).send({
        subject: 'Changed',
        textBody: 'Your password changed.',
        htmlBody: null,
        fromName: null,
        replyTo: null,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ htmlBody: null, fromName: null, replyTo: null });
      await api(t).delete(templates).set(bearer(a.accessToken)).expect(204);
      const cleared = await api(t)
        .patch(`/v3/users/${user.id}`)
        .set(bearer(a.accessToken))
        .send({ company: null, locale: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ company: null, locale: null });
    });

    it('__proto__ and constructor keys neither pass validation nor pollute anything', async () => {
      const before = await countRows();
      const bodies = [
        `{"email":"proto@example.test","firstName":"P","lastName":"R","__proto__":{"role":"admin"}}`,
        `{"email":"proto@example.test","firstName":"P","lastName":"R","constructor":{"prototype":{"role":"admin"}}}`,
        `{"email":"proto@example.test","firstName":"P","lastName":"R","metadata":{"__proto__":{"polluted":true}}}`,
      ];
      for (const body of bodies) {
        const res = await api(t)
          .post('/v3/users')
          .set(bearer(a.accessToken))
          .set('content-type', 'application/json')
          .send(body);
        if (res.status === 201) {
          expect(res.body.role).toBe('user');
          await api(t).delete(`/v3/users/${res.body.id}`).set(bearer(a.accessToken)).expect(204);
        } else {
          expectError(res, 400);
        }
      }
      const refused = await api(t)
        .post('/v3/users')
        .set(bearer(a.accessToken))
        .set('content-type', 'application/json')
        .send(bodies[0]);
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.details[0].message).toContain('__proto__');
      expect(({} as Record<string, unknown>).role).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const admins = await api(t).get('/v3/users?role=admin').set(bearer(a.accessToken));
      expect(admins.body).toHaveLength(1);
      expect(await countRows()).toEqual(before);
    });

    it.each([
      'page=0',
      'page=-1',
      'page=1e309',
      'page=99999999999999999999',
      'page=1&page=2',
      'limit=NaN',
      'limit=101',
      'limit=1.5',
      'limit=0x10',
      'limit=1e1',
      'limit=+5',
      'limit=%205',
      'page=0b11',
      'page=',
      'sort=password',
      'sort=--email',
      'role=superuser',
    ])('?%s on the user list is 400 VALIDATION_FAILED', async (query) => {
      const res = await api(t).get(`/v3/users?${query}`).set(bearer(a.accessToken));
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('an unsupported method or a path with dot segments is a 404 in the error shape', async () => {
      for (const res of [
        await api(t).put('/v3/users').set(bearer(a.accessToken)).send({}),
        await api(t).get('/v3/users/../accounts').set(bearer(a.accessToken)),
        await api(t).trace('/v3/users'),
      ]) {
        expect(res.status).toBeLessThan(500);
        if (res.status === 404) expectError(res, 404, 'NOT_FOUND');
      }
    });
  });
});
