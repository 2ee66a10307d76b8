import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { redactSecrets, redactUrlPath } from '../common/redaction.js';
import type { AppConfig } from '../config/app-config.js';
import { pathOf } from './security-headers.js';

/** At log level `log` or more verbose: one line per request, as text or JSON (LOG_FORMAT). */
export function registerRequestLog(fastify: FastifyInstance, config: Pick<AppConfig, 'logLevel' | 'logFormat'>): void {
  const logger = new Logger('HTTP');
  const logRequests = ['log', 'debug', 'verbose'].includes(config.logLevel);

  if (logRequests) {
    // One line per request: method, path (never the query string, which could hold a secret), status,
    // duration and request id. The path and the request id come from the client, who may have put a token
    // in either (`GET /v3/users/lk_pat_…`): both are redacted as exception logs are.
    fastify.addHook('onResponse', (request, reply, done) => {
      const durationMs = Math.round(reply.elapsedTime * 10) / 10;
      const givenId = reply.getHeader('x-request-id');
      const requestId = givenId === undefined ? undefined : redactSecrets(String(givenId));
      const path = redactUrlPath(pathOf(request.url));
      if (config.logFormat === 'json') {
        logger.log({ msg: 'request', requestId, method: request.method, path, status: reply.statusCode, durationMs });
      } else {
        logger.log(`${request.method} ${path} ${reply.statusCode} ${durationMs}ms ${String(requestId)}`);
      }
      done();
    });
  }
}
