import type { FastifyInstance } from 'fastify';
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ApiError, type ErrorDetail, Errors } from '../common/api-error.js';
import { unknownFieldDetails } from '../common/validation.pipe.js';
import { pathOf } from './security-headers.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
/**
 * reset-password, and verify and cancel, which judge the token exactly as it does, judge the token before anything
 * else: a body that is not even a JSON object holds no live token.
 */
const RESET_PASSWORD_PATH = /^\/v3\/users\/[^/]+\/reset-password(?:\/verify|\/cancel)?\/?$/;

const parsesPlainly = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const hasBody = (headers: IncomingHttpHeaders): boolean =>
  Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;

/** The content codings a request body may use; the body limit applies to the decoded bytes. */
const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

const unsupportedBody = () =>
  new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json in UTF-8.');
const unreadableBody = () => Errors.validation([{ field: 'body', message: 'The body could not be decoded.' }]);

/**
 * Request bodies are JSON objects or arrays (strict, like body-parser's `strict`) in UTF-8, or nothing;
 * another type or charset is 415 before a byte is read. gzip, deflate and br bodies are decoded (any other
 * coding is 415) and the body limit counts the decoded bytes. Unparsable JSON is 400 (reset-password:
 * RESET_TOKEN_INVALID); an empty JSON body is `{}`.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  const unparsable = (url: string, message: string) =>
    RESET_PASSWORD_PATH.test(pathOf(url))
      ? Errors.resetTokenInvalid()
      : Errors.validation([{ field: 'body', message }]);
  // Prototype-poisoning keys are refused, not stripped.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');

  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const coding = request.headers['content-encoding']?.trim().toLowerCase();
    if (coding === undefined || coding === '' || coding === 'identity') return done(null, payload);
    const decoder = DECODERS[coding];
    if (!decoder) return done(unsupportedBody(), undefined);
    // The decoder's own errors (a corrupt stream) are the client's: 400, never the zlib message.
    const inflate = decoder();
    const decoded = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
    payload.on('data', (chunk: Buffer) => (decoded.receivedEncodedLength += chunk.length));
    inflate.on('error', () => decoded.destroy(unreadableBody()));
    payload.on('error', (err) => decoded.destroy(err));
    payload.pipe(inflate).pipe(decoded);
    done(null, decoded as Readable as typeof payload);
  });

  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) return done(unsupportedBody(), undefined);
    // Read as a string, bytes that are not UTF-8 would become U+FFFD and be stored as if they had been sent.
    if (!isUtf8(body as Buffer)) return done(unparsable(request.url, 'The body is not valid UTF-8.'), undefined);
    const text = (body as Buffer).toString('utf8');
    if (text.trim() === '') return done(null, {});
    // Fastify types the default parser as callback-or-promise; the default one is the callback form and returns
    // nothing, so there is no promise to await here.
    void parseJson(request, text, (err, value) => {
      if (!err && value !== null && typeof value === 'object') return done(null, value);
      // Fastify's parser says only "invalid": JSON that parses plainly was refused for a prototype key.
      const message = !err
        ? 'The body must be a JSON object or array.'
        : parsesPlainly(text)
          ? 'The body must not contain __proto__ or constructor.prototype keys.'
          : 'The body is not valid JSON.';
      done(unparsable(request.url, message), undefined);
    });
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    done(hasBody(request.headers) ? unsupportedBody() : null, undefined);
  });
}

/** Where refuseBodiesWhereNone leaves its finding on the request, for the guard to answer after authentication. */
const BODY_PROBLEM = Symbol('latchkey.bodyProblem');

/**
 * API.md: unknown body fields are refused with 400. On a route that takes no body every field is unknown: a body with
 * fields (or one that is not an object) is 400 VALIDATION_FAILED, so nothing happens; an empty object or no body at all
 * is fine. `routesWithoutBody` holds `METHOD /path/:param` for each such route. The hook only notes the problem:
 * the guard answers it once the caller is authenticated and authorised (bodyProblemError), so a body never outranks
 * 401 or 403, as on the routes whose validation pipe runs after the guard.
 */
export function refuseBodiesWhereNone(fastify: FastifyInstance, routesWithoutBody: ReadonlySet<string>): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    const body: unknown = request.body;
    if (body === undefined || !routesWithoutBody.has(`${request.method} ${request.routeOptions.url}`)) return done();
    const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
    const fields = isObject ? Object.keys(body) : [];
    if (isObject && fields.length === 0) return done();
    (request as unknown as Record<symbol, ErrorDetail[]>)[BODY_PROBLEM] = fields.length
      ? unknownFieldDetails(fields)
      : [{ field: 'body', message: 'This route takes no body.' }];
    done();
  });
}

/** The 400 for a body sent to a route that takes none (refuseBodiesWhereNone), or null. */
export function bodyProblemError(request: object): ApiError | null {
  const details = (request as Record<symbol, ErrorDetail[] | undefined>)[BODY_PROBLEM];
  return details ? Errors.validation(details) : null;
}
