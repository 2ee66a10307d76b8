import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ApiError, type ErrorBody, Errors } from './api-error.js';
import { pgErrorCode } from './database-errors.js';
import { redactSecrets } from './redaction.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors meaning "the database is not reachable right now": the client may retry. */
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded|Query read timeout|terminating connection|the database system is (starting up|shutting down|in recovery)|Client has encountered a connection error|Connection is not established/i;
const UNAVAILABLE_SQLSTATE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '53300',
  '57014',
]);

export function plainErrorBody(status: number, message: string): ErrorBody {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    code: CODE_BY_STATUS[status] ?? `HTTP_${status}`,
  };
}

/**
 * What Fastify itself refuses while reading a body, answered by code: its messages are not the contract's.
 * (Content types and JSON are judged by the service's own parsers, see app.setup.ts.)
 */
const FASTIFY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'The request body does not match its Content-Length.'],
};

const fastifyErrorOf = (e: unknown): { code: string; statusCode: number } | undefined => {
  const cause = e instanceof HttpException ? e.cause : e;
  const c = cause as { name?: unknown; code?: unknown; statusCode?: unknown } | null;
  return c && c.name === 'FastifyError' && typeof c.code === 'string' && typeof c.statusCode === 'number'
    ? { code: c.code, statusCode: c.statusCode }
    : undefined;
};

/** Turns whatever was thrown into the contract's error shape; never echoes stacks or SQL. */
function toErrorBody(exception: unknown): { body: ErrorBody; retryAfter?: number; unexpected: boolean } {
  if (exception instanceof ApiError)
    return { body: exception.toBody(), retryAfter: exception.retryAfter, unexpected: false };
  const fastifyError = fastifyErrorOf(exception);
  if (fastifyError && fastifyError.statusCode < 500) {
    const [status, message] = FASTIFY_ERRORS[fastifyError.code] ?? [
      fastifyError.statusCode,
      STATUS_CODES[fastifyError.statusCode] ?? 'Error',
    ];
    const body =
      status === 400 ? Errors.validation([{ field: 'body', message }]).toBody() : plainErrorBody(status, message);
    return { body, unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message =
      status === 404 ? 'Route not found.' : typeof res === 'string' ? res : (res as { message?: unknown }).message;
    return {
      body: plainErrorBody(status, typeof message === 'string' ? message : (STATUS_CODES[status] ?? 'Error')),
      unexpected: false,
    };
  }
  const e = exception as { code?: string; message?: string; driverError?: { code?: string } };
  // A transaction's connection that failed between two statements is given back at once (TypeORM's runners and
  // PooledDataSource's alike); the next statement then finds its runner released. Nothing else releases a runner
  // under a request: the database went away, and the client may retry.
  if (exception instanceof QueryRunnerAlreadyReleasedError)
    return { body: Errors.unavailable().toBody(), retryAfter: 5, unexpected: true };
  if (exception instanceof QueryFailedError) {
    const code = pgErrorCode(exception);
    if (code === '23505') return { body: Errors.conflict('The resource already exists.').toBody(), unexpected: false };
    // Text PostgreSQL cannot store (a NUL that slipped past validation): the client's fault, not ours.
    if (code === '22021' || code === '22P05')
      return {
        body: Errors.validation([
          { field: 'body', message: 'Text contains characters that cannot be stored.' },
        ]).toBody(),
        unexpected: false,
      };
    if (code && UNAVAILABLE_SQLSTATE.has(code))
      return { body: Errors.unavailable().toBody(), retryAfter: 5, unexpected: true };
  }
  const text = `${e?.message ?? ''} ${e?.driverError ? String((e.driverError as Error).message) : ''} ${e?.code ?? ''}`;
  if (UNAVAILABLE.test(text)) return { body: Errors.unavailable().toBody(), retryAfter: 5, unexpected: true };
  return { body: plainErrorBody(500, 'Internal server error.'), unexpected: true };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const res: unknown = host.switchToHttp().getResponse();
    const { body, retryAfter, unexpected } = toErrorBody(exception);
    if (unexpected) {
      // Logged for operators, never echoed: the client gets the plain body.
      const err = exception as Error;
      // Redacted: a driver's or a library's message may quote the values it was given.
      this.logger.error(
        redactSecrets(`${body.statusCode} ${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`),
        err?.stack === undefined ? undefined : redactSecrets(err.stack),
      );
    }
    if (adapter.isHeadersSent(res)) {
      adapter.end(res);
      return;
    }
    if (retryAfter) adapter.setHeader(res, 'Retry-After', String(retryAfter));
    if (body.statusCode === 401) adapter.setHeader(res, 'WWW-Authenticate', 'Bearer');
    adapter.reply(res, body, body.statusCode);
  }
}
