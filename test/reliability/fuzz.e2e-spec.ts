import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { generateToken } from '../../src/auth/token-format.js';
import { SCOPES } from '../../src/auth/scopes.js';
import { api, createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createPat, createUser, login, signUp, STRONG_PASSWORD } from '../helpers/factories.js';
import { closeWithoutLeaks, guardSecrets, type SecretLedger } from '../helpers/secrets.js';

/**
 * Property-based fuzzing of every operation in the generated OpenAPI document: bodies, path and
 * query parameters and headers are generated from the document's schemas, then mutated (wrong
 * types, missing and unknown fields, hostile strings, arbitrary JSON). Whatever comes in, the
 * service answers below 500, every error has the contract's shape, and a 4xx changes no row.
 * FUZZ_RUNS sets the runs per operation (default 60); FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** A strong password the fuzzer may set, so the secrets scan looks for it too. */
const OTHER_PASSWORD = 'amber comet teacup harbor 9153';

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components?: { schemas?: Record<string, Schema> };
}

/** The fixtures a request may name; rebuilt whenever a 2xx broke one of them. */
interface World {
  accountId: string;
  alias: string;
  adminEmail: string;
  adminSession: string;
  pat: string;
  userId: string;
  userEmail: string;
  userSession: string;
  spareUserId: string;
  sparePatId: string;
  resetToken: string;
  otherAccountId: string;
  otherUserId: string;
  otherSession: string;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u202e\u0041',
  '😀'.repeat(50),
  'x'.repeat(5000),
  "' OR 1=1 --",
  '%_\\',
  '{{token}}{{#user}}{{/user}}{{{account.name}}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'null',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '__proto__',
  'constructor',
  'lk_rst_',
  `lk_pat_${'A'.repeat(49)}`,
];
const EVENTS = ['user.reset-password-request', 'user.password-changed'];

/** Builds fast-check arbitraries from the document's schemas, with the world's known values mixed in. */
class Generators {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly world: () => World,
  ) {}

  private resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.split('/').pop()!;
    return this.doc.components?.schemas?.[name] ?? {};
  }

  /** A real id of the world (of this tenant or another), a random UUID, or a malformed one. */
  id(): fc.Arbitrary<string> {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .constantFrom<keyof World>('accountId', 'userId', 'spareUserId', 'sparePatId')
          .map((k) => this.world()[k]),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom<keyof World>('otherAccountId', 'otherUserId').map((k) => this.world()[k]),
      },
      { weight: 1, arbitrary: fc.uuid() },
      {
        weight: 1,
        arbitrary: fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g', '%00', '..', 'x'.repeat(300)),
      },
    );
  }

  /** Values the service knows. No secret: a client that puts one in a name or an alias has published it itself. */
  knownString(): fc.Arbitrary<string> {
    return fc.oneof(
      fc.constantFrom<keyof World>('alias', 'adminEmail', 'userEmail').map((k) => this.world()[k]),
      fc.constantFrom(...SCOPES, ...EVENTS, 'admin', 'user', 'de', 'pt-BR'),
    );
  }

  /** A password field: the fixtures' real password (so that old-password checks can pass), another, or anything. */
  password(): fc.Arbitrary<string> {
    return fc.oneof(fc.constant(STRONG_PASSWORD), fc.constant(OTHER_PASSWORD), fc.string({ maxLength: 300 }));
  }

  /** A `token` field: the live reset token, another well-formed one, or garbage. */
  token(): fc.Arbitrary<string> {
    return fc.oneof(
      fc.constant(null).map(() => this.world().resetToken),
      fc.constantFrom('rst', 'pat', 'ses').map((kind) => generateToken(kind as 'rst')),
      fc.string({ maxLength: 60 }),
    );
  }

  hostile(): fc.Arbitrary<unknown> {
    return fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS),
      this.knownString(),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, [], {}, [null], {
        a: { b: { c: {} } },
      }),
      fc.jsonValue({ maxDepth: 3 }),
    );
  }

  fromSchema(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const nullable = (a: fc.Arbitrary<unknown>) => (schema.nullable ? fc.option(a, { nil: null, freq: 5 }) : a);
    if (schema.allOf?.length)
      return this.fromSchema(Object.assign({}, ...schema.allOf.map((s) => this.resolve(s))), depth);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((s) => this.fromSchema(s, depth)));
    if (schema.enum) return nullable(fc.constantFrom(...schema.enum));
    switch (schema.type) {
      case 'string':
        return nullable(this.string(schema));
      case 'integer':
        return nullable(fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 }));
      case 'number':
        return nullable(fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }));
      case 'boolean':
        return nullable(fc.boolean());
      case 'array':
        return nullable(
          fc.array(schema.items ? this.fromSchema(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
            maxLength: 5,
          }),
        );
      default:
        if (schema.properties && depth < 4) {
          const props = Object.fromEntries(
            Object.entries(schema.properties).map(([k, s]) => [
              k,
              k === 'token' ? this.token() : /password$/i.test(k) ? this.password() : this.fromSchema(s, depth + 1),
            ]),
          );
          return nullable(fc.record(props, { requiredKeys: schema.required ?? [] }));
        }
        return nullable(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }));
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const bounded = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 60) });
    const byFormat: Record<string, fc.Arbitrary<string>> = {
      email: fc.oneof(
        fc.emailAddress(),
        fc.constantFrom<keyof World>('adminEmail', 'userEmail').map((k) => this.world()[k]),
      ),
      uuid: this.id(),
      'date-time': fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      uri: fc.webUrl(),
    };
    const candidates = [bounded, this.knownString()];
    if (schema.format && byFormat[schema.format]) candidates.push(byFormat[schema.format]);
    if (schema.pattern) candidates.push(fc.stringMatching(new RegExp(schema.pattern)));
    return fc.oneof(...candidates);
  }

  /** A body from the schema, then maybe mutated; or arbitrary JSON; or bytes that are not JSON at all. */
  body(schema: Schema | undefined): fc.Arbitrary<{ text: string; json: unknown }> {
    const valid = schema ? this.fromSchema(schema) : fc.constant({});
    const props = schema ? Object.keys(this.resolve(schema).properties ?? {}) : [];
    const asObject = (v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    const json = fc.oneof(
      { weight: 5, arbitrary: valid },
      {
        weight: 3,
        arbitrary: fc
          .tuple(valid, props.length ? fc.constantFrom(...props) : fc.constant('x'), this.hostile())
          .map(([v, k, bad]) => ({ ...asObject(v), [k]: bad })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(valid, fc.string({ minLength: 1, maxLength: 10 }), this.hostile())
          .map(([v, k, x]) => ({ ...asObject(v), [k]: x })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(valid, props.length ? fc.constantFrom(...props) : fc.constant('x')).map(([v, k]) => {
          const copy = { ...asObject(v) };
          delete copy[k];
          return copy;
        }),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    );
    return fc.oneof(
      { weight: 12, arbitrary: json.map((j) => ({ text: JSON.stringify(j) ?? 'null', json: j })) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('{', '{"a":1,}', "{'a':1}", '\u0000', '[', '{"__proto__":{"admin":true}}', '"\\ud800"')
          .map((text) => ({ text, json: undefined })),
      },
    );
  }

  /** Authorization: each credential of the world, none, or garbage. */
  authorization(): fc.Arbitrary<string | undefined> {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom<keyof World>('adminSession', 'pat').map((k) => `Bearer ${this.world()[k]}`),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom<keyof World>('userSession', 'otherSession').map((k) => `Bearer ${this.world()[k]}`),
      },
      { weight: 1, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic YWRtaW46YWRtaW4=',
            'bearer x',
            `Bearer ${generateToken('pat')}`,
            `Bearer ${generateToken('ses')}`,
          ),
          fc.string({ maxLength: 80 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`),
          fc.constantFrom<keyof World>('adminSession', 'pat').map((k) => `Bearer ${this.world()[k].slice(0, -1)}x`),
        ),
      },
    );
  }

  /** The parameters of `op`: every path parameter, some query parameters (valid or not), an extra one. */
  params(op: Operation): fc.Arbitrary<{ path: Record<string, string>; query: Record<string, string> }> {
    const pathParams = Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'path')
        .map((p) => [
          p.name,
          p.name === 'event'
            ? fc.oneof(fc.constantFrom(...EVENTS), fc.constantFrom('user.nothing', '__proto__', 'x'.repeat(300)))
            : this.id(),
        ]),
    );
    const queryParams = Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'query')
        .map((p) => [
          p.name,
          fc.oneof(
            { weight: 3, arbitrary: p.schema ? this.fromSchema(p.schema) : fc.string() },
            { weight: 1, arbitrary: this.hostile() },
          ),
        ]),
    );
    const str = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    return fc
      .tuple(
        fc.record(pathParams as Record<string, fc.Arbitrary<string>>),
        fc.record(queryParams, { requiredKeys: [] }),
        fc.option(fc.tuple(fc.constantFrom('foo', 'page', 'limit', 'sort', 'token'), fc.string({ maxLength: 20 })), {
          freq: 4,
        }),
      )
      .map(([p, q, extra]) => ({
        path: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, str(v)])),
        query: {
          ...Object.fromEntries(Object.entries(q).map(([k, v]) => [k, str(v)])),
          ...(extra ? { [extra[0]]: extra[1] } : {}),
        },
      }));
  }

  headers(): fc.Arbitrary<Record<string, string>> {
    return fc.record(
      {
        'content-type': fc.oneof(
          { weight: 8, arbitrary: fc.constant('application/json') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              'application/json; charset=utf-8',
              'text/plain',
              'application/x-www-form-urlencoded',
              'application/merge-patch+json',
            ),
          },
        ),
        'x-request-id': fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        'x-forwarded-for': fc.constantFrom('10.0.0.1', '1.1.1.1, 2.2.2.2', 'garbage', ''),
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
      },
      { requiredKeys: ['content-type'] },
    );
  }
}

function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        method,
        path: p,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
      });
    }
  }
  return ops;
}

/** A digest of every row a 4xx must leave alone (timestamps of use excluded: reading a token may touch them). */
const FINGERPRINT = `SELECT ${[
  ['accounts', ''],
  ['users', ` - 'last_login_at'`],
  ['sessions', ` - 'last_used_at'`],
  ['personal_access_tokens', ` - 'last_used_at'`],
  ['reset_tokens', ''],
  ['email_templates', ''],
  ['outbox', ''],
]
  .map(
    ([table, minus]) =>
      `(SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), '')) FROM (SELECT (to_jsonb(t)${minus})::text AS x FROM ${table} t) s) AS ${table}`,
  )
  .join(', ')}`;

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let ledger: SecretLedger;
  let doc: OpenApiDocument;
  let world: World;
  let gen: Generators;
  const stats = { requests: 0, byStatus: new Map<number, number>() };

  const fingerprint = async () => JSON.stringify(await t.app.get(DataSource).query(FINGERPRINT));

  async function buildWorld(): Promise<World> {
    const a = await signUp(t);
    const b = await signUp(t);
    const pat = await createPat(t, a.accessToken, [...SCOPES], { name: 'fuzz-all' });
    const spare = await createPat(t, a.accessToken, ['user:read']);
    const user = await createUser(t, a.accessToken);
    const spareUser = await createUser(t, a.accessToken);
    const session = await login(t, a.account.alias, user.email);
    const issued = await api(t).post(`/v3/users/${user.id}/reset-password-token`).set(bearer(a.accessToken)).send({});
    return {
      accountId: a.account.id,
      alias: a.account.alias,
      adminEmail: a.user.email,
      adminSession: a.accessToken,
      pat: pat.token,
      userId: user.id,
      userEmail: user.email,
      userSession: session.accessToken,
      spareUserId: spareUser.id,
      sparePatId: spare.id,
      resetToken: issued.body.resetPasswordToken as string,
      otherAccountId: b.account.id,
      otherUserId: b.user.id,
      otherSession: b.accessToken,
    };
  }

  /** True when every fixture still works as built (a 2xx may have revoked, deleted or demoted one). */
  async function worldIntact(): Promise<boolean> {
    const checks = await Promise.all([
      api(t).get(`/v3/users/${world.spareUserId}`).set(bearer(world.adminSession)),
      api(t).get(`/v3/personal-access-tokens/${world.sparePatId}`).set(bearer(world.pat)),
      api(t).get(`/v3/users/${world.userId}`).set(bearer(world.userSession)),
      api(t).get(`/v3/users/${world.otherUserId}`).set(bearer(world.otherSession)),
      api(t).get(`/v3/users/${world.userId}/reset-password-tokens`).set(bearer(world.adminSession)),
    ]);
    const account = await api(t).get(`/v3/accounts/${world.accountId}`).set(bearer(world.adminSession));
    return (
      checks.every((r) => r.status === 200) &&
      checks[2].body.role === 'user' &&
      checks[4].body.length === 1 &&
      account.body.minPasswordLength <= STRONG_PASSWORD.length
    );
  }

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_WORKER: 'off' });
    ledger = await guardSecrets(t);
    ledger.add(STRONG_PASSWORD, OTHER_PASSWORD);
    const file = path.resolve('openapi.json');
    doc = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : (await api(t).get('/v3/openapi.json')).body;
    world = await buildWorld();
    gen = new Generators(doc, () => world);
  }, 120_000);

  afterAll(async () => {
    if (doc) {
      const counts = [...stats.byStatus.entries()].sort((x, y) => x[0] - y[0]).map(([st, n]) => `${st}×${n}`);
      process.stdout.write(
        `fuzz: ${stats.requests} requests over ${operationsOf(doc).length} operations; ${counts.join(' ')}\n`,
      );
    }
    await closeWithoutLeaks(t, ledger);
  });

  it('the document lists the contract’s operations', () => {
    const ops = operationsOf(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(ops).toEqual(
      expect.arrayContaining([
        'POST /v3/accounts',
        'POST /v3/accounts/login',
        'POST /v3/users/{id}/reset-password',
        'POST /v3/users/{id}/reset-password-token',
        'GET /v3/event-logs',
        'POST /v3/personal-access-tokens',
        'PUT /v3/accounts/{id}/email-templates/{event}',
      ]),
    );
  });

  // One property per operation, so a failure names it; every operation runs even after one fails.
  it('never answers 5xx, always in the error shape, and changes nothing on a 4xx', async () => {
    let before = await fingerprint();
    const failures: string[] = [];
    for (const op of operationsOf(doc)) {
      const arbitrary = fc.record({
        params: gen.params(op),
        headers: gen.headers(),
        auth: gen.authorization(),
        body: gen.body(op.body),
      });
      const property = fc.asyncProperty(arbitrary, async ({ params, headers, auth, body }) => {
        const route = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params.path[name] ?? ''));
        const query = new URLSearchParams(params.query).toString();
        let req = api(t)[op.method as 'get'](query ? `${route}?${query}` : route);
        for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
        if (auth) req = req.set('Authorization', auth);
        const sendsBody = op.method !== 'get' && op.method !== 'delete';
        const res = sendsBody ? await req.send(body.text) : await req;
        stats.requests++;
        stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
        const what = `${op.method.toUpperCase()} ${route}?${query} ${sendsBody ? body.text.slice(0, 300) : ''} → ${res.status} ${res.text.slice(0, 300)}`;

        expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
        const after = await fingerprint();
        if (res.status >= 400) {
          expect({ what, body: res.body }).toEqual({
            what,
            body: expect.objectContaining({
              statusCode: res.status,
              error: expect.any(String),
              message: expect.any(String),
              code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
            }),
          });
          expect(res.text).not.toMatch(/\n\s+at |QueryFailedError|SELECT |INSERT |UPDATE /);
          expect({ what, unchanged: after === before }).toEqual({ what, unchanged: true });
        } else if (op.method !== 'get' && !(await worldIntact())) {
          world = await buildWorld();
          before = await fingerprint();
          return;
        }
        before = after;
      });
      const outcome = await fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
      if (outcome.failed) {
        failures.push(
          `${op.method.toUpperCase()} ${op.path} (FUZZ_SEED=${outcome.seed}): ${String(outcome.errorInstance).slice(0, 1500)}`,
        );
        // The failed request may have left the world half-changed.
        world = await buildWorld();
        before = await fingerprint();
      }
    }
    expect(failures).toEqual([]);
  }, 900_000);
});
