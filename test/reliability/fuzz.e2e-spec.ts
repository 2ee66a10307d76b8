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
 * query parameters and headers are generated from the document's schemas, then mutated (`null`,
 * a wrong type or a boundary number in any position, missing and unknown fields, hostile strings,
 * arbitrary JSON). Whatever comes in, the service answers below 500, every error has the
 * contract's shape, and a 4xx changes no row.
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
  maxItems?: number;
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
  'a\ud800b',
  '\udc00',
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

  /**
   * A real id of the world: mostly one of the kind the route names (so that requests get past the
   * lookup), else any of this tenant or another, a random UUID, or a malformed one.
   */
  id(route = ''): fc.Arbitrary<string> {
    const fitting: (keyof World)[] = route.startsWith('/v3/accounts/')
      ? ['accountId']
      : route.startsWith('/v3/users/')
        ? ['userId', 'spareUserId']
        : route.startsWith('/v3/personal-access-tokens/')
          ? ['sparePatId']
          : ['accountId', 'userId', 'spareUserId', 'sparePatId'];
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...fitting).map((k) => this.world()[k]) },
      {
        weight: 2,
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

  /** A JSON value of any type but the schema's own: the wrong type in this position. */
  wrongType(raw: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const own = schema.type === 'integer' ? 'number' : (schema.type ?? (schema.enum ? 'string' : 'object'));
    const byType: Record<string, fc.Arbitrary<unknown>> = {
      string: fc.constantFrom('', 'x', '0', '60', 'true', 'null', '[]'),
      number: fc.constantFrom(0, 1, -1, 60, 1.5),
      boolean: fc.boolean(),
      array: fc.constantFrom([], [null], ['x'], [1], [[]], [{}]),
      object: fc.constantFrom({}, { a: null }, { length: 1 }, { 0: 'x' }),
    };
    return fc.oneof(
      ...Object.entries(byType)
        .filter(([t]) => t !== own)
        .map(([, a]) => a),
    );
  }

  /**
   * Values on and just past the schema's bounds: numbers at, below and above minimum and maximum,
   * fractions and the edges of 32-bit and safe integers; strings at and past minLength and
   * maxLength; arrays one item past maxItems.
   */
  boundary(raw: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    if (schema.type === 'integer' || schema.type === 'number') {
      const edges = [0, -0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 1e308, 5e-324];
      for (const b of [schema.minimum, schema.maximum])
        if (b !== undefined) edges.push(b - 1, b - 0.5, b, b + 0.5, b + 1);
      return fc.constantFrom(...edges);
    }
    if (schema.type === 'string') {
      const lengths = [0, 1];
      for (const b of [schema.minLength, schema.maxLength])
        if (b !== undefined) lengths.push(Math.max(0, b - 1), b, b + 1);
      return fc.tuple(fc.constantFrom(...lengths), fc.constantFrom('a', ' ', 'é', '😀')).map(([n, c]) => c.repeat(n));
    }
    if (schema.type === 'array' && schema.maxItems !== undefined) {
      return fc.constantFrom(schema.maxItems, schema.maxItems + 1).map((n) => Array.from({ length: n }, () => 'a'));
    }
    return this.wrongType(schema);
  }

  /** The schema behind a `$ref`. */
  resolved(schema: Schema): Schema {
    return this.resolve(schema);
  }

  /** What the field sweep puts in one position: `null`, one value of a wrong type, and values past each bound. */
  sweepValues(raw: Schema): unknown[] {
    const schema = this.resolve(raw);
    const wrong: Record<string, unknown> = { string: 1, number: '60', integer: '60', boolean: 'true', array: 'x' };
    const out: unknown[] = [null, schema.enum ? 0 : (wrong[schema.type ?? ''] ?? 'x')];
    if (schema.type === 'integer' || schema.type === 'number') {
      if (schema.minimum !== undefined) out.push(schema.minimum - 1, schema.minimum + 0.5);
      if (schema.maximum !== undefined) out.push(schema.maximum + 1);
      if (schema.minimum === undefined && schema.maximum === undefined) out.push(-1, 0.5, 2 ** 53);
    } else if (schema.type === 'string' && !schema.enum) {
      out.push('', 'a'.repeat((schema.maxLength ?? 1000) + 1));
    } else if (schema.type === 'array') {
      out.push(
        [null],
        Array.from({ length: (schema.maxItems ?? 100) + 1 }, () => 'a'),
      );
    }
    return out;
  }

  /** A value for one position: mostly from its schema, sometimes `null`, a wrong type or a boundary value. */
  slot(schema: Schema, value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 16, arbitrary: value },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: this.wrongType(schema) },
      { weight: 1, arbitrary: this.boundary(schema) },
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
        // class-validator's shim writes `number` for IsInt fields too: mostly whole numbers, then any.
        return nullable(
          fc.oneof(
            { weight: 3, arbitrary: fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 }) },
            {
              weight: 1,
              arbitrary: fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }),
            },
          ),
        );
      case 'boolean':
        return nullable(fc.boolean());
      case 'array':
        return nullable(
          fc.array(
            schema.items
              ? this.slot(schema.items, this.fromSchema(schema.items, depth + 1))
              : fc.jsonValue({ maxDepth: 1 }),
            { maxLength: 5 },
          ),
        );
      default:
        if (schema.properties && depth < 4) {
          const props = Object.fromEntries(
            Object.entries(schema.properties).map(([k, s]) => [
              k,
              this.slot(
                s,
                k === 'token' ? this.token() : /password$/i.test(k) ? this.password() : this.fromSchema(s, depth + 1),
              ),
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
    const schemaOf = (k: string) => (schema ? (this.resolve(schema).properties?.[k] ?? {}) : {});
    const required = schema ? (this.resolve(schema).required ?? []) : [];
    const optional = props.filter((k) => !required.includes(k));
    /** A body with its required fields and at most two others: small bodies get past validation more often. */
    const small = fc
      .tuple(valid, fc.subarray(optional, { maxLength: Math.min(2, optional.length) }))
      .map(([v, keep]) =>
        Object.fromEntries(Object.entries(asObject(v)).filter(([k]) => required.includes(k) || keep.includes(k))),
      );
    /** A small body with one of its fields replaced by what `bad` makes of that field's schema. */
    const oneField = (bad: (s: Schema) => fc.Arbitrary<unknown>) =>
      fc
        .tuple(small, props.length ? fc.constantFrom(...props) : fc.constant('x'))
        .chain(([v, k]) => bad(schemaOf(k)).map((x) => ({ ...v, [k]: x })));
    const json = fc.oneof(
      { weight: 3, arbitrary: valid },
      { weight: 3, arbitrary: small },
      { weight: 2, arbitrary: oneField(() => fc.constant(null)) },
      { weight: 1, arbitrary: oneField((s) => this.wrongType(s)) },
      { weight: 1, arbitrary: oneField((s) => this.boundary(s)) },
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
      { weight: 16, arbitrary: json.map((j) => ({ text: JSON.stringify(j) ?? 'null', json: j })) },
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
      { weight: 3, arbitrary: fc.constant(null).map(() => `Bearer ${this.world().adminSession}`) },
      { weight: 2, arbitrary: fc.constant(null).map(() => `Bearer ${this.world().pat}`) },
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
            ? fc.oneof(
                { weight: 4, arbitrary: fc.constantFrom(...EVENTS) },
                { weight: 1, arbitrary: fc.constantFrom('user.nothing', '__proto__', 'x'.repeat(300)) },
              )
            : this.id(op.path),
        ]),
    );
    const queryParams = Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'query')
        .map((p) => [
          p.name,
          fc.oneof(
            { weight: 6, arbitrary: p.schema ? this.fromSchema(p.schema) : fc.string() },
            { weight: 1, arbitrary: p.schema ? this.boundary(p.schema) : fc.constant('') },
            { weight: 1, arbitrary: p.schema ? this.wrongType(p.schema) : fc.constant(null) },
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
  const stats = { requests: 0, byStatus: new Map<number, number>(), swept: [] as string[], neverOk: [] as string[] };

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
        `fuzz: ${stats.requests} requests over ${operationsOf(doc).length} operations; ${counts.join(' ')}; ` +
          `${stats.swept.length} swept field by field; never a 2xx: ${stats.neverOk.join(', ') || 'none'}\n`,
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

  /** One request as the generators make it. */
  interface Exchange {
    params: { path: Record<string, string>; query: Record<string, string> };
    headers: Record<string, string>;
    auth: string | undefined;
    body: { text: string; json: unknown };
  }
  let before = '';

  /**
   * Sends one request and checks what must hold whatever it was: below 500, the error shape, no row
   * changed by a 4xx. Returns the status; rebuilds the world when a 2xx broke one of its fixtures.
   */
  async function exchange(op: Operation, { params, headers, auth, body }: Exchange): Promise<number> {
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
      return res.status;
    }
    before = after;
    return res.status;
  }

  /** `x` with every value of `from` (ids, credentials) replaced by the same fixture of the current world. */
  function rebased<T>(x: T, from: World): T {
    const keys = Object.keys(from) as (keyof World)[];
    const swap = (v: string) => {
      for (const k of keys) if (from[k] && v.includes(from[k])) v = v.replaceAll(from[k], world[k]);
      return v;
    };
    return JSON.parse(swap(JSON.stringify(x))) as T;
  }

  /**
   * Every field of a request that succeeded, replaced in turn by `null`, a value of the wrong type
   * and values past its bounds, everything else kept: the random pass alone rarely gets a body past
   * validation with exactly one field wrong.
   */
  async function sweep(op: Operation, good: Exchange, from: World): Promise<void> {
    const bodySchema = op.body ? gen.resolved(op.body) : undefined;
    const goodBody = good.body.json;
    if (bodySchema?.properties && goodBody && typeof goodBody === 'object' && !Array.isArray(goodBody)) {
      for (const [field, schema] of Object.entries(bodySchema.properties)) {
        for (const value of gen.sweepValues(schema)) {
          const json = { ...(goodBody as Record<string, unknown>), [field]: value };
          await exchange(op, rebased({ ...good, body: { text: JSON.stringify(json), json } }, from));
        }
      }
    }
    for (const p of op.parameters.filter((x) => x.in === 'query')) {
      for (const value of gen.sweepValues(p.schema ?? { type: 'string' })) {
        const query = { ...good.params.query, [p.name]: typeof value === 'string' ? value : JSON.stringify(value) };
        await exchange(op, rebased({ ...good, params: { ...good.params, query } }, from));
      }
    }
  }

  // One property per operation, so a failure names it; every operation runs even after one fails.
  it('never answers 5xx, always in the error shape, and changes nothing on a 4xx', async () => {
    before = await fingerprint();
    const failures: string[] = [];
    for (const op of operationsOf(doc)) {
      const arbitrary = fc.record({
        params: gen.params(op),
        headers: gen.headers(),
        auth: gen.authorization(),
        body: gen.body(op.body),
      });
      // The last request of this operation that succeeded, and the world it named.
      let good: { exchange: Exchange; world: World } | undefined;
      const property = fc.asyncProperty(arbitrary, async (x) => {
        const sent = world;
        if ((await exchange(op, x)) < 300) good = { exchange: x, world: sent };
      });
      const outcome = await fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
      if (outcome.failed) {
        failures.push(
          `${op.method.toUpperCase()} ${op.path} (FUZZ_SEED=${outcome.seed}): ${String(outcome.errorInstance).slice(0, 1500)}`,
        );
        // The failed request may have left the world half-changed.
        world = await buildWorld();
        before = await fingerprint();
        continue;
      }
      if (!good) {
        stats.neverOk.push(`${op.method.toUpperCase()} ${op.path}`);
        continue;
      }
      stats.swept.push(`${op.method.toUpperCase()} ${op.path}`);
      try {
        await sweep(op, good.exchange, good.world);
      } catch (err) {
        failures.push(`${op.method.toUpperCase()} ${op.path} (field sweep): ${String(err).slice(0, 1500)}`);
        world = await buildWorld();
        before = await fingerprint();
      }
    }
    expect(failures).toEqual([]);
  }, 900_000);
});
