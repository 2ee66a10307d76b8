import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** A request URL without its query string. */
export const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

export const apiHeaders: Middleware = helmet();
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

/** The one API answer that any cache may keep: the public OpenAPI document. */
const CACHEABLE_API_PATH = '/v3/openapi.json';

export /**
 * What every answer carries, set before anything else can answer: the security headers (the docs' own CSP
 * under /docs) and the request id, taken from `X-Request-Id` when it looks safe. Returns the path. An API answer is
 * `Cache-Control: no-store`, errors included: beside the secrets the contract names, it holds people's names and
 * addresses, which no browser or proxy cache should keep (ASVS 14.3.2).
 */
function stamp(request: FastifyRequest, reply: FastifyReply): string {
  const path = pathOf(request.url);
  const headers = path === '/docs' || path.startsWith('/docs/') ? docsHeaders : apiHeaders;
  headers(request.raw, reply.raw, () => undefined);
  if (path.startsWith('/v3/') && path !== CACHEABLE_API_PATH) void reply.header('Cache-Control', 'no-store');
  const given = request.headers['x-request-id'];
  void reply.header('X-Request-Id', typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID());
  return path;
}
