import type { FastifyInstance } from 'fastify';
import { plainErrorBody } from '../common/all-exceptions.filter.js';
import { Errors } from '../common/api-error.js';
import { RouteMethods } from './route-methods.js';
import { stamp } from './security-headers.js';

/** Records every route's methods as it is registered; call before the routes are. */
export function trackRoutes(fastify: FastifyInstance): RouteMethods {
  const routes = new RouteMethods();
  fastify.addHook('onRoute', (route) => routes.add(route.url, route.method));
  return routes;
}

/**
 * The first hook of every request: the security headers and request id, then the answers that need no
 * route — a token in the query string (400), an unrouted method and path (405 with `Allow`, or 404).
 */
export function registerRequestGate(fastify: FastifyInstance, routes: RouteMethods): void {
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
}
