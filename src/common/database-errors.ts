import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a failed statement (PGlite and node-postgres both put it on driverError.code). */
export const pgErrorCode = (err: unknown): string | undefined =>
  err instanceof QueryFailedError ? (err.driverError as { code?: string } | undefined)?.code : undefined;

/** A unique constraint or unique index refused the row (SQLSTATE 23505). */
export const isUniqueViolation = (err: unknown): boolean => pgErrorCode(err) === '23505';
