import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { ApiError, type ErrorBody, Errors } from './api-error.js';

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

function plain(status: number, message: string): ErrorBody {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    code: CODE_BY_STATUS[status] ?? `HTTP_${status}`,
  };
}

/** Turns whatever was thrown into the contract's error shape; never echoes stacks or SQL. */
const isBodyParserError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && 'status' in e;

/** reset-password judges the token before anything else: a body that is not even JSON holds no live token. */
const RESET_PASSWORD_PATH = /^\/v3\/users\/[^/]+\/reset-password\/?$/;

export function toErrorBody(
  exception: unknown,
  path = '',
): { body: ErrorBody; retryAfter?: number; unexpected: boolean } {
  if (exception instanceof ApiError)
    return { body: exception.toBody(), retryAfter: exception.retryAfter, unexpected: false };
  // Nest wraps body-parser's errors; their messages can quote the body, so they are answered by type.
  if (exception instanceof HttpException && isBodyParserError(exception.cause)) exception = exception.cause;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message =
      status === 404 ? 'Route not found.' : typeof res === 'string' ? res : (res as { message?: unknown }).message;
    return {
      body: plain(status, typeof message === 'string' ? message : (STATUS_CODES[status] ?? 'Error')),
      unexpected: false,
    };
  }
  const e = exception as {
    type?: string;
    status?: number;
    code?: string;
    message?: string;
    driverError?: { code?: string };
  };
  // body-parser's own errors
  if (e && typeof e.type === 'string' && typeof e.status === 'number' && e.status < 500) {
    switch (e.type) {
      case 'entity.too.large':
        return { body: plain(413, 'The request body is too large.'), unexpected: false };
      case 'entity.parse.failed':
        if (RESET_PASSWORD_PATH.test(path)) return { body: Errors.resetTokenInvalid().toBody(), unexpected: false };
        return {
          body: Errors.validation([{ field: 'body', message: 'The body is not valid JSON.' }]).toBody(),
          unexpected: false,
        };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { body: plain(415, 'Unsupported content encoding or charset.'), unexpected: false };
      default:
        return { body: plain(e.status, 'The request body could not be read.'), unexpected: false };
    }
  }
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code;
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
  return { body: plain(500, 'Internal server error.'), unexpected: true };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const { body, retryAfter, unexpected } = toErrorBody(exception, http.getRequest<Request>()?.path);
    if (unexpected) {
      // Logged for operators, never echoed: the client gets the plain body.
      const err = exception as Error;
      this.logger.error(`${body.statusCode} ${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`, err?.stack);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    if (body.statusCode === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(body.statusCode).json(body);
  }
}
