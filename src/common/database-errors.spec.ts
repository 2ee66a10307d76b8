import { QueryFailedError } from 'typeorm';
import { isUniqueViolation, pgErrorCode } from './database-errors.js';

const failed = (driverError: unknown) => new QueryFailedError('INSERT', [], driverError as Error);

describe('database errors', () => {
  it('reads the SQLSTATE from a failed query', () => {
    expect(pgErrorCode(failed({ code: '22P05' }))).toBe('22P05');
  });

  it('has no code for other errors or a driver error without one', () => {
    expect(pgErrorCode(new Error('boom'))).toBeUndefined();
    expect(pgErrorCode(Object.assign(new Error('x'), { code: '23505' }))).toBeUndefined();
    expect(pgErrorCode(failed(new Error('no code')))).toBeUndefined();
  });

  it('knows a unique violation only by 23505 on a failed query', () => {
    expect(isUniqueViolation(failed({ code: '23505' }))).toBe(true);
    expect(isUniqueViolation(failed({ code: '23503' }))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
