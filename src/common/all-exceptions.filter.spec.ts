import { describe, expect, it, jest } from '@jest/globals';
import { type ArgumentsHost, Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
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
});
