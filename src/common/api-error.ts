import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

export interface ErrorDetail {
  field: string;
  message: string;
}

/** The body every error has: `{ statusCode, error, message, code }` and, for validation, `details`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  details?: ErrorDetail[];
}

/** A domain error with a stable machine code; the exception filter renders it as it is. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds, sent as `Retry-After` (429). */
    readonly retryAfter?: number,
  ) {
    super(message, status);
  }

  toBody(): ErrorBody {
    const status = this.getStatus();
    return {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message: this.message,
      code: this.code,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export const Errors = {
  validation: (details: ErrorDetail[], message = 'The request is not valid.') =>
    new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, details),
  invalidField: (field: string, message: string) =>
    new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, [{ field, message }]),
  unauthenticated: (message = 'A valid bearer token is required.') =>
    new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', message),
  invalidCredentials: () =>
    new ApiError(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS', 'The account alias, email or password is wrong.'),
  insufficientScope: (scope: string) =>
    new ApiError(HttpStatus.FORBIDDEN, 'INSUFFICIENT_SCOPE', `This operation needs the "${scope}" scope.`),
  forbidden: (message: string) => new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message),
  notFound: (what = 'Resource') => new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found.`),
  conflict: (message: string) => new ApiError(HttpStatus.CONFLICT, 'CONFLICT', message),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      'Too many requests; try again later.',
      undefined,
      Math.max(1, Math.ceil(retryAfterSeconds)),
    ),
  resetTokenInvalid: () =>
    new ApiError(HttpStatus.BAD_REQUEST, 'RESET_TOKEN_INVALID', 'The reset token is invalid or has expired.'),
  weakPassword: (reason: string) => new ApiError(HttpStatus.BAD_REQUEST, 'WEAK_PASSWORD', reason),
  wrongPassword: () => new ApiError(HttpStatus.BAD_REQUEST, 'WRONG_PASSWORD', 'The old password is wrong.'),
  unavailable: () =>
    new ApiError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'SERVICE_UNAVAILABLE',
      'The service is temporarily unavailable.',
      undefined,
      5,
    ),
};
