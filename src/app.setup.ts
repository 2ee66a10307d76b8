import { type INestApplication, Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ApiError, Errors } from './common/api-error.js';
import { plainErrorBody } from './common/all-exceptions.filter.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi/openapi.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** reset-password judges the token before anything else: a body that is not even JSON holds no live token. */
const RESET_PASSWORD_PATH = /^\/v3\/users\/[^/]+\/reset-password\/?$/;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};
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

/** The Fastify adapter with this service's options: used by main.ts, the OpenAPI writer and the e2e tests. */
export function createHttpAdapter(config: Pick<AppConfig, 'trustProxy' | 'bodyLimitBytes'>): FastifyAdapter {
  return new FastifyAdapter({
    // One proxy hop is trusted: the address the proxy appended to X-Forwarded-For is the client's.
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    bodyLimit: config.bodyLimitBytes,
    // Ids are validated (400) by the routes, not refused by the router for their length.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // Node's own limit for receiving a whole request, which Fastify would turn off.
    requestTimeout: 300_000,
    requestIdHeader: false,
    logger: false,
    // A URL the router cannot even decode: 400 in the contract's shape, with the security headers.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      stamp(request, reply);
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void reply.code(status).send(plainErrorBody(status, 'The request URL is malformed.'));
    },
    clientErrorHandler: answerClientError,
  });
}

/** The client errors Node answers before a request exists, by its code: status and message. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive.'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  HPE_INVALID_METHOD: [400, 'The request method is not one this server knows.'],
};

/**
 * A request Node's HTTP parser refuses (an unknown method, a malformed request line or header, headers
 * too large, too slow): answered on the socket in the contract's error shape, with the security headers
 * and a request id, then the connection is closed.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const [status, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'The request could not be parsed as HTTP.'];
    const body = JSON.stringify(plainErrorBody(status, message));
    const headers: Record<string, string> = {};
    const collect = {
      setHeader: (name: string, value: string | number | readonly string[]) => (headers[name] = String(value)),
      removeHeader: (name: string) => delete headers[name],
      getHeader: (name: string) => headers[name],
    };
    apiHeaders({ headers: {} } as IncomingMessage, collect as unknown as ServerResponse, () => undefined);
    Object.assign(headers, {
      'X-Request-Id': randomUUID(),
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    });
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
  }
  socket.destroy(err);
}

const apiHeaders: Middleware = helmet();
const docsHeaders: Middleware = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      // Swagger UI over plain http on a LAN address must keep working.
      upgradeInsecureRequests: null,
    },
  },
});

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
 * What every answer carries, set before anything else can answer: the security headers (the docs' own CSP
 * under /docs) and the request id, taken from `X-Request-Id` when it looks safe. Returns the path.
 */
function stamp(request: FastifyRequest, reply: FastifyReply): string {
  const path = pathOf(request.url);
  const headers = path === '/docs' || path.startsWith('/docs/') ? docsHeaders : apiHeaders;
  headers(request.raw, reply.raw, () => undefined);
  const given = request.headers['x-request-id'];
  void reply.header('X-Request-Id', typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID());
  return path;
}

/**
 * Request bodies are JSON objects or arrays (strict, like body-parser's `strict`) in UTF-8, or nothing;
 * another type or charset is 415 before a byte is read. gzip, deflate and br bodies are decoded (any other
 * coding is 415) and the body limit counts the decoded bytes. Unparsable JSON is 400 (reset-password:
 * RESET_TOKEN_INVALID); an empty JSON body is `{}`.
 */
function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
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
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) return done(unsupportedBody(), undefined);
    const text = body as string;
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

/** A route's path as a pattern over request paths (`:param` one segment, `*` the rest, a trailing slash ignored). */
const routePattern = (url: string): RegExp =>
  new RegExp(
    `^${url
      .replace(/\/$/, '')
      .split('/')
      .map((segment) =>
        segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/')}/?$`,
  );

/** The methods the service serves on each route, to tell 405 (with `Allow`) from 404 for an unrouted request. */
class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: string[] }[] = [];

  add(url: string, method: string | string[]): void {
    // A catch-all (the CORS preflight route) says nothing about which paths exist.
    if (url === '*' || url === '/*') return;
    this.routes.push({ pattern: routePattern(url), methods: [method].flat() });
  }

  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) for (const m of r.methods) methods.add(m);
    return [...methods].sort();
  }
}

/** Everything about the HTTP surface that is not a route: used by main.ts and by the e2e tests alike. */
export function configureApp(app: NestFastifyApplication, config: AppConfig): INestApplication {
  const fastify = app.getHttpAdapter().getInstance();
  const routes = new RouteMethods();
  fastify.addHook('onRoute', (route) => routes.add(route.url, route.method));
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['X-Total-Count', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  registerBodyParsers(fastify, config.bodyLimitBytes);

  const logger = new Logger('HTTP');
  const logRequests = ['log', 'debug', 'verbose'].includes(config.logLevel);

  fastify.addHook('onRequest', (request, reply, done) => {
    const path = stamp(request, reply);

    // Tokens travel in headers or bodies only; a token in a query string may already be in some log.
    if (path.length !== request.url.length && /(^|&)access_token=/.test(request.url.slice(path.length + 1))) {
      const err = Errors.invalidField(
        'access_token',
        'Tokens are not accepted in query strings; use the Authorization header.',
      );
      void reply.code(400).send(err.toBody());
      return;
    }
    // No route for this method and path: 405 with `Allow` when the path has other methods, else 404. Answered
    // here, before any body is read (a QUERY without a Content-Type would otherwise be refused for its body).
    if (request.is404) {
      let decoded = path;
      try {
        decoded = decodeURI(path);
      } catch {
        // The router matches the raw path too.
      }
      const allowed = routes.allowed(decoded);
      if (allowed.length) {
        void reply
          .code(405)
          .header('Allow', allowed.join(', '))
          .send(plainErrorBody(405, `${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`));
      } else {
        void reply.code(404).send(plainErrorBody(404, 'Route not found.'));
      }
      return;
    }
    done();
  });

  if (logRequests) {
    // One line per request: method, path (never the query string, which could hold a secret), status,
    // duration and request id.
    fastify.addHook('onResponse', (request, reply, done) => {
      const durationMs = Math.round(reply.elapsedTime * 10) / 10;
      const requestId = reply.getHeader('x-request-id');
      const path = pathOf(request.url);
      if (config.logFormat === 'json') {
        logger.log({ msg: 'request', requestId, method: request.method, path, status: reply.statusCode, durationMs });
      } else {
        logger.log(`${request.method} ${path} ${reply.statusCode} ${durationMs}ms ${String(requestId)}`);
      }
      done();
    });
  }

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'v3/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Latchkey API',
    // A pasted bearer token stays in the page's memory, never in the browser's storage.
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true, tryItOutEnabled: false },
  });
  return app;
}
