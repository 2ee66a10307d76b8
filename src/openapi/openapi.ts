import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type RequestBodyObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { DEFAULT_MIN_PASSWORD_LENGTH } from '../accounts/accounts.service.js';
import { MAX_PASSWORD_LENGTH } from '../passwords/password-policy.service.js';
import { NO_NUL_PATTERN } from '../common/identifiers.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** The OpenAPI 3 document, generated from the controllers (the swagger CLI plugin fills in the DTOs). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Latchkey API')
    .setDescription(
      'Multi-tenant accounts and users with scoped personal access tokens and delegated password reset. ' +
        'Authorize with a session token (`lk_ses_…`, from login) or a personal access token (`lk_pat_…`).\n\n' +
        'Rules every request body follows, beyond its schema: a body is a JSON object in UTF-8 ' +
        '(`application/json`, optionally gzip, deflate or br encoded) of at most `BODY_LIMIT_BYTES` decoded bytes ' +
        '(default 102,400; larger: 413); keys `__proto__` and `constructor.prototype` are refused; no string or key ' +
        'may contain NUL (U+0000) or a lone surrogate (text that is not well-formed UTF-16; in a password or a login ' +
        'field it is a wrong or weak credential instead), and no number may be too large for JSON (`1e309`); JSON nested deeper than 32 levels is refused; a sender name (and any field whose ' +
        'description says so) refuses control characters. Unknown fields are refused (every body schema says `additionalProperties: false`). ' +
        'Emails need a domain with a dot and a top-level domain of two or more letters (`x@com` is refused). ' +
        'Every refusal is 400 `VALIDATION_FAILED` in the error shape unless its status says otherwise.',
    )
    .setVersion('3')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/')
    .addTag('accounts', 'Sign-up, login and logout, account settings, and the email-based reset request.')
    .addTag('users', "The account's users, their passwords and their reset tokens.")
    .addTag('personal-access-tokens', 'Scoped, revocable bearer tokens for machines and portals.')
    .addTag('email-templates', "The account's branded emails, per event and locale.")
    .addTag('event-logs', 'Who did what in the account, newest first.')
    .addTag('webhooks', "Signed delivery of the account's events to its own endpoints (Standard Webhooks).")
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque: lk_ses_… or lk_pat_…',
        description: 'A session token or a personal access token; opaque strings, not JWTs.',
      },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      // Public operations say so explicitly.
      if (op && !op.security) op.security = [];
      if (op)
        describeOperation(op, method !== 'get' && method !== 'head' && method !== 'options' && method !== 'trace');
    }
  }
  document.components!.headers = {
    NoStore: {
      description: 'No cache may keep the answer.',
      schema: { type: 'string', enum: ['no-store'] },
      required: true,
    },
    RetryAfter: {
      description: 'Seconds until the spent limit lets a request through again.',
      schema: { type: 'integer', minimum: 1 },
      required: true,
    },
  };
  const schemas = document.components!.schemas!;
  const bodies = requestBodySchemas(document);
  for (const name of bodies) describeRequestBody(name, schemas[name] as SchemaObject);
  for (const [name, schema] of Object.entries(schemas)) {
    if (!bodies.has(name) && !isRef(schema)) describeResponseSchema(schema);
  }
  return toOpenApi31(document);
}

/**
 * OpenAPI 3.1, whose schemas are JSON Schema 2020-12: `nullable: true` (what the decorators write) becomes a
 * `null` type, or an `anyOf` with `null` around a reference.
 */
function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = key === 'example' ? value : visit(value);
    if (typeof out.nullable === 'boolean') {
      const nullable = out.nullable;
      delete out.nullable;
      if (nullable) {
        if (typeof out.type === 'string') out.type = [out.type, 'null'];
        else if (out.$ref || out.allOf) return { anyOf: [out.$ref ? { $ref: out.$ref } : out, { type: 'null' }] };
        if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
      }
    }
    return out;
  };
  return { ...(visit(document) as OpenAPIObject), openapi: '3.1.0' };
}

const isRef = (x: unknown): x is ReferenceObject => typeof (x as ReferenceObject | undefined)?.$ref === 'string';
const refName = (ref: string) => ref.split('/').pop()!;

/** The component schemas that are request bodies (and only that). */
function requestBodySchemas(document: OpenAPIObject): Set<string> {
  const names = new Set<string>();
  for (const item of Object.values(document.paths))
    for (const method of METHODS) {
      const body = item[method]?.requestBody as RequestBodyObject | ReferenceObject | undefined;
      const schema = body && !isRef(body) ? body.content['application/json']?.schema : undefined;
      if (isRef(schema)) names.add(refName(schema.$ref));
    }
  return names;
}

/**
 * What the service enforces on every operation that the controllers do not state: path ids are UUIDs
 * (ParseUuidPipe), a body can be refused for its size (413) or its type or coding (415, on every method that may
 * carry one), and every list carries X-Total-Count.
 */
function describeOperation(op: OperationObject, bodyMethod: boolean): void {
  for (const p of (op.parameters ?? []) as ParameterObject[]) {
    if (p.in === 'path' && p.name === 'id') p.schema = { type: 'string', format: 'uuid' };
    else if (p.in === 'query') describeText(p.schema);
  }
  const errorShape = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
  if (!op.responses['400']) {
    op.responses['400'] = {
      description:
        'VALIDATION_FAILED: a token in the query string (`access_token`; tokens go in the Authorization header)' +
        (bodyMethod ? ', or a body that is not valid JSON.' : '.'),
      content: errorShape,
    };
  }
  // Any request that may carry a body is refused for its size before it is routed, whether or not it takes one.
  if (bodyMethod && !op.responses['413']) {
    op.responses['413'] = {
      description: 'The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded).',
      content: errorShape,
    };
  }
  if (bodyMethod && !op.responses['415']) {
    op.responses['415'] = {
      description:
        'A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br ' +
        '(UNSUPPORTED_MEDIA_TYPE).',
      content: errorShape,
    };
  }
  for (const [status, response] of Object.entries(op.responses)) {
    if (!response || isRef(response)) continue;
    // The rate limits say when to come back (API.md: 429 with Retry-After).
    if (status === '429')
      response.headers = { ...response.headers, 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };
    // Every answer of the API is `no-store`, errors too (some carry secrets, most carry people's data).
    if (/^2/.test(status))
      response.headers = { ...response.headers, 'Cache-Control': { $ref: '#/components/headers/NoStore' } };
  }
  const ok = op.responses['200'];
  const list =
    ok && !isRef(ok) && (ok.content?.['application/json']?.schema as SchemaObject | undefined)?.type === 'array';
  if (list && ok && !isRef(ok)) {
    const declared = ok.headers?.['X-Total-Count'];
    ok.headers = {
      ...ok.headers,
      'X-Total-Count': {
        description: 'Items matching the filters, over all pages.',
        schema: { type: 'integer', minimum: 0 },
        ...(declared && !isRef(declared) ? declared : {}),
        required: true,
      },
    };
  }
}

/**
 * What every answer's fields are, which the DTOs' TypeScript types cannot say: every number the service answers
 * with is an integer (counts, seconds, statuses, milliseconds), and every `…At` string an instant (ISO-8601 UTC).
 */
function describeResponseSchema(schema: SchemaObject): void {
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, SchemaObject>)) {
    if (isRef(prop)) continue;
    if (prop.type === 'number') prop.type = 'integer';
    if (prop.type === 'string' && /At$/.test(name) && !prop.format) prop.format = 'date-time';
  }
}

/** Passwords a policy judges: the lowest minimum an account can set, and the policy's maximum. */
const NEW_PASSWORD_FIELDS = ['password', 'newPassword'];
const LOWEST_MIN_PASSWORD_LENGTH = 8;
/** Email templates need an HTML part, a text part, or both. */
const ONE_OF_BODIES = ['htmlBody', 'textBody'];

/**
 * Text the service takes has no NUL (the validation pipe refuses it in any string: PostgreSQL's text cannot hold
 * it); a string whose own pattern, format or enum does not already say so gets it as its pattern.
 */
function describeText(schema: SchemaObject | ReferenceObject | undefined): void {
  if (!schema || isRef(schema)) return;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('array')) return describeText(schema.items);
  if (types.includes('string') && !schema.pattern && !schema.format && !schema.enum) schema.pattern = NO_NUL_PATTERN;
}

/** A request body refuses unknown fields; password and template rules the decorators cannot state. */
function describeRequestBody(name: string, schema: SchemaObject): void {
  schema.additionalProperties = false;
  const props = (schema.properties ?? {}) as Record<string, SchemaObject>;
  for (const prop of Object.values(props)) describeText(prop);
  // A user's metadata (the only free-form object) holds at most 50 keys.
  if (props.metadata && !isRef(props.metadata)) props.metadata.maxProperties = 50;
  for (const field of NEW_PASSWORD_FIELDS) {
    const p = props[field];
    // Login's password is the current one, judged by no policy.
    if (p && name !== 'LoginDto') {
      // A new account's first password meets the default minimum; a longer cap in front of the policy
      // (a length a validator refuses before hashing) does not raise the policy's maximum.
      p.minLength = name === 'SignUpDto' ? DEFAULT_MIN_PASSWORD_LENGTH : LOWEST_MIN_PASSWORD_LENGTH;
      p.maxLength = Math.min(p.maxLength ?? MAX_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH);
      p.description = `${p.description ? `${p.description} ` : ''}Between the account's \`minPasswordLength\` (8–64) and ${MAX_PASSWORD_LENGTH} code points; a weak one is 400 \`WEAK_PASSWORD\`.`;
    }
  }
  for (const p of Object.values(props)) {
    if (p.format === 'email' && !p.pattern) p.pattern = '@[^@.]+(\\.[^@.]+)*\\.[^@.0-9]{2,}$';
  }
  if (ONE_OF_BODIES.every((n) => props[n]) && (schema.required ?? []).length > 0) {
    delete schema.required;
    schema.required = ['subject'];
    schema.anyOf = ONE_OF_BODIES.map((n) => ({ required: [n], properties: { [n]: { type: 'string' } } }));
  }
  for (const n of ONE_OF_BODIES) {
    const p = props[n];
    if (p?.maxLength !== undefined)
      p.description =
        `${p.description ?? ''} At most ${p.maxLength} characters, and the whole body within \`BODY_LIMIT_BYTES\` (413 beyond).`.trim();
  }
}
