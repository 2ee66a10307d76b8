import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { plainErrorBody } from './common/all-exceptions.filter.js';
import type { AppConfig } from './config/app-config.js';
import { refuseBodiesWhereNone, registerBodyParsers } from './http/body-parsing.js';
import { answerClientError } from './http/client-errors.js';
import { registerRequestGate, trackRoutes } from './http/request-gate.js';
import { registerRequestLog } from './http/request-log.js';
import { stamp } from './http/security-headers.js';
import { buildOpenApiDocument } from './openapi/openapi.js';

/** The Fastify adapter with this service's options: used by main.ts, the OpenAPI writer and the e2e tests. */
export function createHttpAdapter(config: Pick<AppConfig, 'trustProxy' | 'bodyLimitBytes'>): FastifyAdapter {
  return new FastifyAdapter({
    // One proxy hop is trusted: the address the proxy appended to X-Forwarded-For is the client's.
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    bodyLimit: config.bodyLimitBytes,
    // Ids are validated (400; RESET_TOKEN_INVALID on the reset routes) by the routes, never refused by the router for
    // their length (414): the bound is Node's header limit (16 KiB for the request line and headers; 431 beyond).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16_384 },
    // Node's own limit for receiving a whole request, which Fastify would turn off.
    requestTimeout: 300_000,
    requestIdHeader: false,
    // No Nest middleware is bound (hooks do that work): without @fastify/middie, no request walks its empty chain
    // (about 8 % of the CPU of a `GET /v3/users/{id}`, measured in-process; BENCHMARKS.md).
    skipMiddie: true,
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

/** Everything about the HTTP surface that is not a route: used by main.ts and by the e2e tests alike. */
export function configureApp(app: NestFastifyApplication, config: AppConfig): INestApplication {
  const fastify = app.getHttpAdapter().getInstance();
  const routes = trackRoutes(fastify);
  // Without CORS_ORIGINS no origin may call from a browser, and nothing answers preflights: OPTIONS is then a method
  // the paths do not have (405 with Allow, or 404), as it would be without the CORS plugin's catch-all route.
  if (config.corsOrigins.length)
    app.enableCors({
      origin: config.corsOrigins,
      exposedHeaders: ['X-Total-Count', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  registerBodyParsers(fastify, config.bodyLimitBytes);

  registerRequestGate(fastify, routes);
  registerRequestLog(fastify, config);

  const document = buildOpenApiDocument(app);
  refuseBodiesWhereNone(fastify, routesWithoutBody(document));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'v3/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Latchkey API',
    // A pasted bearer token stays in the page's memory, never in the browser's storage.
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true, tryItOutEnabled: false },
  });
  // Swagger UI's page loads its files relative to its own URL: served at /docs/ (a trailing slash is otherwise
  // ignored) it would ask for /docs/docs/… and stay blank, so /docs/ moves to /docs.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/docs/' || request.url.startsWith('/docs/?')) {
      void reply.redirect(`/docs${request.url.slice('/docs/'.length)}`, 301);
      return;
    }
    done();
  });
  return app;
}

/** `METHOD /path/:param` of every operation of the document that declares no request body. */
function routesWithoutBody(document: OpenAPIObject): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    const route = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (op && !op.requestBody) out.add(`${method.toUpperCase()} ${route}`);
    }
  }
  return out;
}
