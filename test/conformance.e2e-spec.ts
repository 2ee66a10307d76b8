/**
 * Document-driven conformance: the built service is started, its served `/v3/openapi.json` is loaded, and
 * for every operation the suite derives valid requests (examples and generated values, with the state they
 * need: an account, users, tokens) and invalid ones (each schema rule broken in turn: wrong type, null, out
 * of range, unknown field, bad format, missing field), sends them with an admin session, a narrow PAT and no
 * auth, and checks every answer against the document: a documented status, a body and headers that match
 * its schema. One summary line: operations, requests, failures. It runs the built service (`npm run build`),
 * which must serve the committed openapi.json.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fs from 'node:fs';
import { builtServiceMissing, type ServiceProcess, startService } from './helpers/service-process.js';

jest.setTimeout(300_000);

// ajv-formats is CommonJS with a default export.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof import('ajv-formats').default;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const PASSWORD = 'velvet quasar lantern mosaic 7241';

interface Operation {
  id: string;
  method: string;
  path: string;
  op: Schema;
  pointer: string;
}
interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}
interface Sent {
  what: string;
  operation: Operation;
  auth: 'admin' | 'pat' | 'none' | 'own';
  status: number;
  problem?: string;
}

let svc: ServiceProcess;
let doc: Schema;
let ajv: Ajv2020;
const compiled = new Map<string, ValidateFunction>();
const sent: Sent[] = [];
const operations: Operation[] = [];
let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

const ctx = {
  alias: '',
  adminEmail: '',
  adminToken: '',
  patToken: '',
  accountId: '',
  adminId: '',
  userId: '',
  patId: '',
  webhookId: '',
};

// ---------- the document ----------

const pointerEscape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const resolve = (node: Schema | undefined): Schema | undefined => {
  let n = node;
  while (n?.$ref)
    n = (n.$ref as string)
      .slice(2)
      .split('/')
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<Schema | undefined>((o, k) => o?.[k], doc);
  return n;
};

/** OpenAPI 3.0's `nullable` as JSON Schema 2020-12 (a 3.1 document needs nothing). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' ? v : toJsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (out.enum) out.enum = [...out.enum, null];
    if (out.$ref || out.allOf) return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function validatorAt(pointer: string): ValidateFunction {
  let v = compiled.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `openapi.json#${pointer}` });
    compiled.set(pointer, v);
  }
  return v;
}
const isValid = (pointer: string, value: unknown) => validatorAt(pointer)(value);
const errorsOf = (pointer: string, value: unknown) => {
  const v = validatorAt(pointer);
  return v(value) ? null : ajv.errorsText(v.errors);
};

const paramsOf = (o: Operation): Schema[] =>
  [...(doc.paths[o.path].parameters ?? []), ...(o.op.parameters ?? [])].map((p: Schema) => resolve(p)!);
const bodyPointer = (o: Operation) =>
  o.op.requestBody ? `${o.pointer}/requestBody/content/application~1json/schema` : null;
const isProtected = (o: Operation) => Array.isArray(o.op.security) && o.op.security.length > 0;

// ---------- values ----------

/** A value the schema accepts, from its example, default, enum or type; `all`: every property of an object. */
function sample(schemaIn: Schema | undefined, name = '', all = false): Json {
  const schema = resolve(schemaIn) ?? {};
  if (schema.anyOf || schema.oneOf) {
    const branch = (schema.anyOf ?? schema.oneOf).find((s: Schema) => resolve(s)?.type !== 'null');
    return sample({ ...schema, anyOf: undefined, oneOf: undefined, ...resolve(branch) }, name, all);
  }
  if (schema.example !== undefined) return schema.example as Json;
  if (schema.examples?.length) return schema.examples[0] as Json;
  if (schema.default !== undefined) return schema.default as Json;
  if (schema.enum) return schema.enum.find((v: unknown) => v !== null) as Json;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 1);
    case 'boolean':
      return false;
    case 'array':
      return schema.minItems ? [sample(schema.items, name)] : [];
    case 'object': {
      const out: Record<string, Json> = {};
      for (const key of all ? Object.keys(schema.properties ?? {}) : (schema.required ?? []))
        out[key] = sample(schema.properties?.[key], key);
      return out;
    }
    default:
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'email') return `x${unique()}@example.com`;
      if (schema.format === 'date-time') return '2030-01-01T00:00:00Z';
      if (/password/i.test(name)) return PASSWORD;
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
  }
}

/** One value of each JSON type, for "wrong type". */
const OTHER_TYPES: Record<string, Json> = {
  string: 12345,
  integer: 'abc',
  number: 'abc',
  boolean: 'yes',
  array: 'a',
  object: 'o',
};

/** Values that break one rule of a schema each, with the rule's name. Only values the document refuses. */
function breakers(schemaIn: Schema | undefined): [string, Json][] {
  const schema = resolve(schemaIn) ?? {};
  const out: [string, Json][] = [];
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const main = types.find((t) => t !== 'null');
  if (main && OTHER_TYPES[main] !== undefined) out.push(['wrong type', OTHER_TYPES[main]]);
  out.push(['null', null]);
  if (main === 'integer') out.push(['not an integer', 1.5]);
  if (typeof schema.minimum === 'number') out.push(['below minimum', schema.minimum - 1]);
  if (typeof schema.maximum === 'number') out.push(['above maximum', schema.maximum + 1]);
  if (typeof schema.maxLength === 'number' && schema.maxLength < 5000)
    out.push(['too long', 'a'.repeat(schema.maxLength + 1)]);
  if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push(['too short', '']);
  if (schema.format === 'uuid') out.push(['bad format', 'not-a-uuid']);
  if (schema.format === 'email') out.push(['bad format', 'not-an-email']);
  if (schema.format === 'date-time') {
    out.push(['bad format', 'yesterday']);
    // ISO 8601 but no RFC 3339 instant: a local time, a week date, the basic format.
    out.push(['no offset', '2030-01-01T00:00:00'], ['week date', '2030-W01-1T10:00:00Z'], ['basic format', '20300101']);
  }
  if (schema.pattern) out.push(['pattern', '!! not matching !!']);
  if (schema.enum) out.push(['not in enum', 'no-such-value']);
  if (main === 'array' && typeof schema.maxItems === 'number' && schema.maxItems < 200)
    out.push(['too many items', Array.from({ length: schema.maxItems + 1 }, () => sample(schema.items))]);
  return out;
}

// ---------- HTTP ----------

async function call(
  o: Operation,
  opts: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    token?: string;
    /** Sent as it is, with this content type, instead of `body` as JSON. */
    raw?: { type: string; text: string };
  },
): Promise<Answer> {
  const path = o.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(opts.params?.[k] ?? ''));
  const qs = opts.query && Object.keys(opts.query).length ? `?${new URLSearchParams(opts.query)}` : '';
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.raw) headers['content-type'] = opts.raw.type;
  const res = await fetch(`${svc.url}${path}${qs}`, {
    method: o.method.toUpperCase(),
    headers,
    body: opts.raw ? opts.raw.text : opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body };
}

/** Everything the document says about this answer, checked; the problem found, if any. */
function checkAnswer(o: Operation, a: Answer): string | null {
  if (a.status >= 500) return `answered ${a.status}: ${JSON.stringify(a.body)}`;
  const key = String(a.status) in o.op.responses ? String(a.status) : 'default' in o.op.responses ? 'default' : null;
  if (!key) return `status ${a.status} is not documented (${JSON.stringify(a.body)})`;
  if (!a.headers.get('x-request-id')) return 'no X-Request-Id header';
  const response = resolve(o.op.responses[key])!;
  const content = response.content?.['application/json'];
  if (content) {
    if (!/^application\/json/.test(a.headers.get('content-type') ?? ''))
      return `content type ${a.headers.get('content-type')} is not application/json`;
    const problem = errorsOf(`${o.pointer}/responses/${key}/content/application~1json/schema`, a.body);
    if (problem) return `${a.status} body does not match its schema: ${problem}`;
  } else if (a.body !== undefined) {
    return `${a.status} has a body the document does not declare`;
  }
  for (const [name, header] of Object.entries<Schema>(response.headers ?? {})) {
    const h = resolve(header)!;
    const value = a.headers.get(name);
    if (value === null) {
      if (h.required) return `header ${name} is missing`;
      continue;
    }
    const schema = resolve(h.schema) ?? {};
    const typed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
    if (!ajv.validate(toJsonSchema(schema) as object, typed)) return `header ${name}: ${ajv.errorsText()}`;
  }
  return null;
}

function record(what: string, o: Operation, auth: Sent['auth'], a: Answer, problem: string | null): void {
  sent.push({ what, operation: o, auth, status: a.status, problem: problem ?? undefined });
}

// ---------- state for each operation ----------

async function send(
  method: string,
  path: string,
  body?: unknown,
  token = ctx.adminToken,
): Promise<{ status: number; body: Schema }> {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
async function newPat(scopes = ['user:read']): Promise<{ id: string; token: string }> {
  const r = await send('POST', '/v3/personal-access-tokens', { name: `pat ${unique()}`, scopes });
  return { id: r.body.id, token: r.body.token };
}
async function newWebhook(): Promise<string> {
  const r = await send('POST', '/v3/webhooks', { url: `https://hooks.example.com/${unique()}`, events: ['*'] });
  return r.body.id;
}
/** The shared endpoint, enabled (a valid request may have disabled it). */
async function enabledWebhook(): Promise<string> {
  ctx.webhookId ||= await newWebhook();
  await send('PATCH', `/v3/webhooks/${ctx.webhookId}`, { enabled: true });
  return ctx.webhookId;
}
async function newUser(password?: string): Promise<{ id: string; email: string }> {
  const email = `u${unique()}@example.com`;
  const r = await send('POST', '/v3/users', { email, firstName: 'Uma', lastName: 'User', password });
  return { id: r.body.id, email };
}

interface Setup {
  params: Record<string, string>;
  /** Fields that must hold these values for the request to be valid (unique emails, real secrets …). */
  body?: Record<string, Json | undefined>;
  /** The token the valid request is sent with, instead of the admin session. */
  token?: string;
}

/** The state each operation's valid request needs. */
const SETUP: Record<string, () => Promise<Setup>> = {
  PersonalAccessTokens_get: async () => ({ params: { id: ctx.patId } }),
  PersonalAccessTokens_update: async () => ({ params: { id: (await newPat()).id } }),
  PersonalAccessTokens_remove: async () => ({ params: { id: (await newPat()).id } }),
  Accounts_signUp: async () => ({ params: {}, body: { alias: `acct-${unique()}`, email: `o${unique()}@example.com` } }),
  Accounts_login: async () => ({
    params: {},
    body: { accountAlias: ctx.alias, email: ctx.adminEmail, password: PASSWORD },
  }),
  Accounts_logout: async () => {
    const r = await send('POST', '/v3/accounts/login', {
      accountAlias: ctx.alias,
      email: ctx.adminEmail,
      password: PASSWORD,
    });
    return { params: {}, token: r.body.accessToken };
  },
  Accounts_get: async () => ({ params: { id: ctx.accountId } }),
  Accounts_update: async () => ({
    params: { id: ctx.accountId },
    body: { resetTokenTtlSeconds: 3600, resetTokenMaxTtlSeconds: 604800, minPasswordLength: 12 },
  }),
  Users_create: async () => ({ params: {}, body: { email: `c${unique()}@example.com` } }),
  Users_get: async () => ({ params: { id: ctx.userId } }),
  Users_update: async () => ({ params: { id: ctx.userId }, body: { email: `e${unique()}@example.com` } }),
  Users_remove: async () => ({ params: { id: (await newUser()).id } }),
  UserPasswords_issue: async () => ({ params: { id: ctx.userId } }),
  UserPasswords_listTokens: async () => ({ params: { id: ctx.userId } }),
  UserPasswords_revokeTokens: async () => ({ params: { id: ctx.userId } }),
  UserPasswords_resetPassword: async () => {
    const user = await newUser();
    const r = await send('POST', `/v3/users/${user.id}/reset-password-token`, {});
    return { params: { id: user.id }, body: { token: r.body.resetPasswordToken, newPassword: PASSWORD } };
  },
  UserPasswords_updatePassword: async () => {
    const user = await newUser(PASSWORD);
    const r = await send('POST', '/v3/accounts/login', {
      accountAlias: ctx.alias,
      email: user.email,
      password: PASSWORD,
    });
    return {
      params: { id: user.id },
      token: r.body.accessToken,
      body: { oldPassword: PASSWORD, newPassword: 'amber comet teacup harbor 9153' },
    };
  },
  ResetPasswordRequest_request: async () => ({ params: {}, body: { accountAlias: ctx.alias, email: ctx.adminEmail } }),
  EmailTemplates_list: async () => ({ params: { id: ctx.accountId } }),
  EmailTemplates_put: async () => ({
    params: { id: ctx.accountId, event: 'user.password-changed' },
    // A link template belongs to the reset email only.
    body: { subject: 'Your password changed', htmlBody: '<p>Hello {{user.firstName}}</p>', linkTemplate: undefined },
  }),
  EmailTemplates_remove: async () => {
    await send('PUT', `/v3/accounts/${ctx.accountId}/email-templates/user.password-changed`, {
      subject: 'Your password changed',
      textBody: 'Hello {{user.firstName}}',
    });
    return { params: { id: ctx.accountId, event: 'user.password-changed' } };
  },
  Webhooks_get: async () => ({ params: { id: await enabledWebhook() } }),
  Webhooks_update: async () => ({ params: { id: await enabledWebhook() } }),
  Webhooks_remove: async () => ({ params: { id: await newWebhook() } }),
  Webhooks_rotateSecret: async () => ({ params: { id: await enabledWebhook() } }),
  Webhooks_test: async () => ({ params: { id: await enabledWebhook() } }),
  Webhooks_listDeliveries: async () => ({ params: { id: await enabledWebhook() } }),
  EmailTemplates_preview: async () => ({
    params: { id: ctx.accountId, event: 'user.password-changed' },
    body: { linkTemplate: undefined },
  }),
};

/** Request parts for the valid request: path and query from the document, body from the schema, setup on top. */
async function validRequest(o: Operation, all = false) {
  const setup = (await SETUP[o.id]?.()) ?? { params: {} };
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const p of paramsOf(o)) {
    if (p.in === 'path') params[p.name] = setup.params[p.name] ?? String(sample(p.schema, p.name));
    if (p.in === 'query' && p.required) query[p.name] = String(sample(p.schema, p.name));
  }
  const pointer = bodyPointer(o);
  const body = pointer
    ? { ...(sample(resolve(o.op.requestBody)!.content['application/json'].schema, '', all) as object), ...setup.body }
    : undefined;
  return { params, query, body, token: setup.token };
}

// ---------- the suite ----------

const missing = builtServiceMissing();
const suite = missing ? describe.skip : describe;
if (missing) console.warn(`conformance suite skipped: ${missing}`);

suite('the service answers as its OpenAPI document says', () => {
  beforeAll(async () => {
    svc = await startService({
      name: 'conformance',
      // An embedded database's first start on a busy machine can be slow.
      timeoutMs: 180_000,
      env: {
        RATE_LIMITS: 'off',
        LOG_LEVEL: 'warn',
        ...(process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
      },
    });
    doc = (await (await fetch(`${svc.url}/v3/openapi.json`)).json()) as Schema;
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema(toJsonSchema(doc) as object, 'openapi.json');
    for (const [path, item] of Object.entries<Schema>(doc.paths))
      for (const method of METHODS)
        if (item[method])
          operations.push({
            id: item[method].operationId,
            method,
            path,
            op: item[method],
            pointer: `/paths/${pointerEscape(path)}/${method}`,
          });

    // The state: an account with its admin, a user, and a narrow (user:read) token.
    ctx.alias = `conf-${unique()}`;
    ctx.adminEmail = `owner-${unique()}@example.com`;
    const signUp = await fetch(`${svc.url}/v3/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Conformance',
        alias: ctx.alias,
        email: ctx.adminEmail,
        password: PASSWORD,
        firstName: 'Olive',
        lastName: 'Owner',
      }),
    });
    const created = (await signUp.json()) as Schema;
    ctx.adminToken = created.accessToken;
    ctx.accountId = created.account.id;
    ctx.adminId = created.user.id;
    ctx.userId = (await newUser()).id;
    const pat = await newPat(['user:read']);
    ctx.patId = pat.id;
    ctx.patToken = pat.token;
  });

  afterAll(async () => {
    await svc?.stop();
    const failures = sent.filter((s) => s.problem);
    console.log(
      `conformance: ${operations.length} operations, ${sent.length} requests, ${failures.length} failures` +
        failures
          .slice(0, 60)
          .map((f) => `\n  ${f.operation.method.toUpperCase()} ${f.operation.path} [${f.auth}] ${f.what}: ${f.problem}`)
          .join(''),
    );
    // A 500's cause is in the service's log, not in its answer.
    const errors = svc?.output.filter((line) => /"level":"(error|fatal)"/.test(line)) ?? [];
    // (On a shared database its delivery worker also meets other suites' endpoints, sealed with another key.)
    if (errors.length)
      console.log(
        `conformance: the service logged ${errors.length} errors, the first 20:\n${errors.slice(0, 20).join('\n')}`,
      );
  });

  it('serves a document with operations, the committed one (else: npm run openapi, or build first)', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(doc).toEqual(JSON.parse(fs.readFileSync('openapi.json', 'utf8')));
  });

  it('declares Retry-After on every 429 and Cache-Control: no-store on every success, as the service sends them', () => {
    const missing: string[] = [];
    for (const o of operations)
      for (const [status, response] of Object.entries<Schema>(o.op.responses)) {
        const headers = resolve(response)!.headers ?? {};
        if (status === '429' && !resolve(headers['Retry-After'])?.required) missing.push(`${o.id} 429 Retry-After`);
        if (/^2/.test(status) && resolve(resolve(headers['Cache-Control'])?.schema)?.enum?.[0] !== 'no-store')
          missing.push(`${o.id} ${status} Cache-Control`);
      }
    expect(missing).toEqual([]);
    expect(operations.filter((o) => '429' in o.op.responses).length).toBeGreaterThanOrEqual(8);
  });

  it('accepts valid requests (admin session, narrow PAT, no auth) and answers as documented', async () => {
    const failures: string[] = [];
    for (const o of operations) {
      // Required fields only with each caller, then every documented field with the admin session.
      for (const [auth, all] of [
        ['admin', false],
        ['pat', false],
        ['none', false],
        ['admin', true],
      ] as const) {
        const req = await validRequest(o, all);
        const token = auth === 'admin' ? (req.token ?? ctx.adminToken) : auth === 'pat' ? ctx.patToken : undefined;
        const a = await call(o, { ...req, token });
        let problem = checkAnswer(o, a);
        const code = (a.body as { code?: string } | undefined)?.code;
        if (!problem && code === 'VALIDATION_FAILED')
          problem = `valid request refused: ${JSON.stringify(a.body)} (sent ${JSON.stringify(req)})`;
        if (!problem && auth === 'admin' && a.status >= 400 && !['RESET_TOKEN_INVALID'].includes(code ?? ''))
          problem = `valid request with an admin session answered ${a.status}: ${JSON.stringify(a.body)}`;
        if (!problem && auth === 'none' && isProtected(o) && a.status !== 401)
          problem = `protected operation answered ${a.status} without auth`;
        record(all ? 'valid request, every field' : 'valid request', o, auth, a, problem);
        if (problem) failures.push(`${o.method.toUpperCase()} ${o.path} [${auth}]: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers a method a documented path does not have with 405 and the documented methods in Allow', async () => {
    const failures: string[] = [];
    for (const [path, item] of Object.entries<Schema>(doc.paths)) {
      const documented = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
      const other = (['PUT', 'PATCH', 'DELETE', 'POST'] as const).find((m) => !documented.includes(m));
      if (!other) continue;
      const url = `${svc.url}${path.replace(/\{id\}/g, ctx.userId).replace(/\{event\}/g, 'user.password-changed')}`;
      const res = await fetch(url, { method: other, headers: { authorization: `Bearer ${ctx.adminToken}` } });
      const body = (await res.json()) as Schema;
      const allow = (res.headers.get('allow') ?? '').split(/,\s*/).filter((m) => m !== 'HEAD');
      const problem =
        res.status !== 405
          ? `answered ${res.status}`
          : body.statusCode !== 405 || body.code !== 'METHOD_NOT_ALLOWED'
            ? `not the error shape: ${JSON.stringify(body)}`
            : // A path can also match another route's pattern (`/v3/accounts/login` is `/v3/accounts/{id}` too).
              !documented.every((m) => allow.includes(m))
              ? `Allow says ${res.headers.get('allow')}, the document ${documented.join(', ')}`
              : null;
      sent.push({
        what: `${other} (not documented)`,
        operation: { id: path, method: other.toLowerCase(), path, op: {}, pointer: '' },
        auth: 'admin',
        status: res.status,
        problem: problem ?? undefined,
      });
      if (problem) failures.push(`${other} ${path}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('accepts null in every body field whose schema allows null', async () => {
    const failures: string[] = [];
    const allowsNull = (prop: Schema): boolean =>
      (Array.isArray(prop.type) && prop.type.includes('null')) ||
      (Array.isArray(prop.anyOf) && prop.anyOf.some((s: Schema) => s.type === 'null'));
    for (const o of operations) {
      const pointer = bodyPointer(o);
      if (!pointer) continue;
      const schema = resolve(resolve(o.op.requestBody)!.content['application/json'].schema)!;
      for (const [name, propSchema] of Object.entries<Schema>(schema.properties ?? {})) {
        if (!allowsNull(resolve(propSchema)!)) continue;
        const base = await validRequest(o, true);
        const body = { ...(base.body as Record<string, Json>), [name]: null };
        // A template needs htmlBody or textBody (the document says so in words): the other one stays.
        if (name === 'htmlBody' && body.textBody == null) body.textBody = 'Hello';
        if (name === 'textBody' && body.htmlBody == null) body.htmlBody = '<p>Hello</p>';
        const a = await call(o, { ...base, body, token: base.token ?? ctx.adminToken });
        let problem = checkAnswer(o, a);
        if (!problem && a.status === 400) problem = `null refused: ${JSON.stringify(a.body)}`;
        record(`${name} null`, o, 'admin', a, problem);
        if (problem) failures.push(`${o.method.toUpperCase()} ${o.path} ${name}: ${problem}`);
      }
    }
    // A preview's null body keeps the saved one, even with nothing else given.
    const preview = operations.find((o) => o.path.endsWith('/preview'))!;
    const base = await validRequest(preview);
    for (const name of ['htmlBody', 'textBody', 'linkTemplate']) {
      const a = await call(preview, { ...base, body: { [name]: null }, token: ctx.adminToken });
      if (a.status !== 200) failures.push(`preview { ${name}: null } answered ${a.status}: ${JSON.stringify(a.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it('documents the refusals any operation can meet: a token in the query string, a malformed or oversized body', async () => {
    const failures: string[] = [];
    const check = (o: Operation, what: string, a: Answer, status: number) => {
      let problem = checkAnswer(o, a);
      if (!problem && a.status !== status) problem = `answered ${a.status}, not ${status}: ${JSON.stringify(a.body)}`;
      record(what, o, 'admin', a, problem);
      if (problem) failures.push(`${o.method.toUpperCase()} ${o.path} ${what}: ${problem}`);
    };
    for (const o of operations) {
      const base = await validRequest(o);
      const token = base.token ?? ctx.adminToken;
      check(
        o,
        'access_token in the query',
        await call(o, { ...base, query: { ...base.query, access_token: 'x' }, token }),
        400,
      );
      if (o.method === 'get') continue;
      check(
        o,
        'malformed JSON body',
        await call(o, { ...base, raw: { type: 'application/json', text: '{bad' }, token }),
        400,
      );
      const big = JSON.stringify({ padding: 'x'.repeat(200 * 1024) });
      check(
        o,
        'body over the limit',
        await call(o, { ...base, raw: { type: 'application/json', text: big }, token }),
        413,
      );
    }
    // Every list says how many items match, on every list.
    for (const o of operations) {
      const ok = resolve(o.op.responses['200']);
      if (resolve(ok?.content?.['application/json']?.schema)?.type !== 'array') continue;
      if (!resolve(ok!.headers?.['X-Total-Count'])?.required)
        failures.push(`${o.method.toUpperCase()} ${o.path}: X-Total-Count is not a required header`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses each broken rule with 400 in the error shape', async () => {
    const failures: string[] = [];
    const expect400 = async (o: Operation, what: string, parts: Parameters<typeof call>[1]) => {
      const a = await call(o, { ...parts, token: parts.token ?? ctx.adminToken });
      let problem = checkAnswer(o, a);
      const body = a.body as { statusCode?: number; code?: string };
      // An unknown value of an enumerated path segment names no resource: 404, as documented, is right too.
      const notFoundOk = /^path \w+ (not in enum|wrong type)/.test(what) && a.status === 404;
      if (!problem && a.status !== 400 && !notFoundOk)
        problem = `answered ${a.status}, not 400: ${JSON.stringify(a.body)}`;
      if (!problem && body?.statusCode !== a.status) problem = 'the body is not the error shape';
      record(what, o, 'admin', a, problem);
      if (problem) failures.push(`${o.method.toUpperCase()} ${o.path} ${what}: ${problem}`);
    };

    for (const o of operations) {
      const base = await validRequest(o);
      // Path and query parameters.
      for (const p of paramsOf(o)) {
        if (p.in !== 'path' && p.in !== 'query') continue;
        const pointer = `${o.pointer}/parameters/${(o.op.parameters as Schema[]).findIndex((x) => resolve(x) === p)}/schema`;
        for (const [rule, value] of breakers(p.schema)) {
          if (value === null || typeof value === 'object') continue; // not expressible in a URL
          const raw = String(value);
          const typed = p.schema?.type === 'integer' || p.schema?.type === 'number' ? Number(raw) : raw;
          if (isValid(pointer, typed) || raw === '') continue;
          const parts = { ...base, params: { ...base.params }, query: { ...base.query } };
          (p.in === 'path' ? parts.params : parts.query)[p.name] = raw;
          await expect400(o, `${p.in} ${p.name} ${rule} (${raw.slice(0, 20)})`, parts);
        }
      }
      // Page and limit with a fraction: the document must say integer.
      for (const p of paramsOf(o).filter((x) => x.in === 'query' && ['page', 'limit'].includes(x.name))) {
        if (p.schema?.type !== 'integer')
          failures.push(`${o.method.toUpperCase()} ${o.path}: query ${p.name} is typed ${p.schema?.type}, not integer`);
      }
      // Path ids must say they are UUIDs.
      for (const p of paramsOf(o).filter((x) => x.in === 'path' && x.name === 'id')) {
        if (p.schema?.format !== 'uuid')
          failures.push(`${o.method.toUpperCase()} ${o.path}: path ${p.name} has no format uuid`);
      }

      const pointer = bodyPointer(o);
      if (!pointer) continue;
      const schema = resolve(resolve(o.op.requestBody)!.content['application/json'].schema)!;
      const valid = base.body as Record<string, Json>;
      // An unknown field: the document must refuse it as the service does.
      const extra = { ...valid, unexpectedField: 1 };
      if (isValid(pointer, extra))
        failures.push(`${o.method.toUpperCase()} ${o.path}: the document allows unknown fields`);
      await expect400(o, 'unknown field', { ...base, body: extra });
      for (const [name, propSchema] of Object.entries<Schema>(schema.properties ?? {})) {
        const prop = resolve(propSchema)!;
        if (prop.type === 'number') {
          // Every number the service takes is an integer.
          failures.push(`${o.method.toUpperCase()} ${o.path}: ${name} is typed number, not integer`);
        }
        for (const [rule, value] of breakers(prop)) {
          const body = { ...valid, [name]: value };
          if (isValid(pointer, body)) continue;
          await expect400(o, `${name} ${rule}`, { ...base, body });
        }
        if ((schema.required ?? []).includes(name)) {
          const body = { ...valid };
          delete body[name];
          await expect400(o, `${name} missing`, { ...base, body });
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers text that is not well-formed UTF-16 in any body field, and a body of another type, with a documented 4xx', async () => {
    const failures: string[] = [];
    const expect4xx = async (o: Operation, what: string, parts: Parameters<typeof call>[1], status?: number) => {
      const a = await call(o, { ...parts, token: parts.token ?? ctx.adminToken });
      let problem = checkAnswer(o, a);
      if (!problem && (a.status < 400 || (status !== undefined && a.status !== status)))
        problem = `answered ${a.status}, not ${status ?? '4xx'}: ${JSON.stringify(a.body)}`;
      record(what, o, 'admin', a, problem);
      if (problem) failures.push(`${o.method.toUpperCase()} ${o.path} ${what}: ${problem}`);
    };
    for (const o of operations) {
      const base = await validRequest(o);
      if (o.method !== 'get') {
        await expect4xx(
          o,
          'text/plain body',
          { ...base, body: undefined, raw: { type: 'text/plain', text: 'x' } },
          415,
        );
      }
      const pointer = bodyPointer(o);
      if (!pointer) continue;
      const schema = resolve(resolve(o.op.requestBody)!.content['application/json'].schema)!;
      const valid = base.body as Record<string, Json>;
      for (const name of Object.keys(schema.properties ?? {})) {
        // A lone surrogate inside a valid value: refused (or, in a credential, a wrong or weak one), never stored.
        const value = typeof valid[name] === 'string' ? valid[name] : 'x';
        const lone = `${value.slice(0, 1)}\ud800${value.slice(1)}`;
        await expect4xx(o, `${name} with a lone surrogate`, { ...base, body: { ...valid, [name]: lone } });
      }
    }
    expect(failures).toEqual([]);
  });
});
