import { describe, expect, it, jest } from '@jest/globals';
import { type ArgumentsHost, Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { AllExceptionsFilter } from './all-exceptions.filter.js';

describe('AllExceptionsFilter', () => {
  it('logs an unexpected error with tokens and webhook secrets redacted, and answers a plain 500', () => {
    const replies: unknown[] = [];
    const adapter = {
      isHeadersSent: () => false,
      setHeader: () => undefined,
      reply: (_: unknown, body: unknown) => replies.push(body),
    };
    const filter = new AllExceptionsFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost);
    const host = { switchToHttp: () => ({ getResponse: () => ({}) }) } as unknown as ArgumentsHost;
    const logged: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    try {
      filter.catch(new Error('signing with whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw= for lk_pat_abcDEF123 failed'), host);
    } finally {
      spy.mockRestore();
    }
    expect(logged.join('\n')).not.toMatch(/whsec_|lk_pat_/);
    expect(logged.join('\n')).toContain('[redacted]');
    expect(replies).toEqual([expect.objectContaining({ statusCode: 500, message: 'Internal server error.' })]);
  });

  it('answers a transaction whose connection was lost between two statements with 503 and Retry-After', () => {
    const replies: [unknown, number][] = [];
    const headers: Record<string, string> = {};
    const adapter = {
      isHeadersSent: () => false,
      setHeader: (_: unknown, name: string, value: string) => (headers[name] = value),
      reply: (_: unknown, body: unknown, status: number) => replies.push([body, status]),
    };
    const filter = new AllExceptionsFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost);
    const host = { switchToHttp: () => ({ getResponse: () => ({}) }) } as unknown as ArgumentsHost;
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      filter.catch(new QueryRunnerAlreadyReleasedError(), host);
    } finally {
      spy.mockRestore();
    }
    expect(replies).toEqual([[expect.objectContaining({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' }), 503]]);
    expect(headers['Retry-After']).toBe('5');
  });
});
