import { rateLimitKeyOf } from '../common/ip-address.js';
import { Injectable } from '@nestjs/common';
import { parseToken } from '../auth/token-format.js';
import { Errors } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.service.js';
import type { RequestContext } from '../common/request-context.js';
import { isUuid } from '../common/uuid.pipe.js';
import type { RateLimitName } from '../config/app-config.js';
import { type LiveResetToken, ResetTokensService } from '../reset-tokens/reset-tokens.service.js';

/** The limiter keys one request's token failures count against. */
export type FailureKeys = readonly (readonly [RateLimitName, string])[];

/** A token judged live, with the keys a later failure of the same request counts against. */
export interface JudgedToken {
  live: LiveResetToken;
  failureKeys: FailureKeys;
}

/** The body's token when it is a well-formed, checksummed reset token; else null. */
function tokenOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const token = (body as Record<string, unknown>).token;
  return typeof token === 'string' && parseToken(token) === 'rst' ? token : null;
}

/**
 * Judges the token of `reset-password`, `reset-password/verify` and `reset-password/cancel`, the
 * one place where the rule lives: the token is looked up first, whatever else the body holds; a
 * live token always proceeds, whatever the limits say, so no number of addresses guessing at a
 * user locks that user out of their own link. Only a token failure counts, against one shared
 * budget (per user id + IP, per user id, per IP), and answers RESET_TOKEN_INVALID — or 429 once a
 * budget is spent. A malformed user id or token is a failure like any other.
 */
@Injectable()
export class ResetTokenJudge {
  constructor(
    private readonly tokens: ResetTokensService,
    private readonly rateLimiter: RateLimiter,
  ) {}

  /** The live token the body names for the user in the path; else throws RESET_TOKEN_INVALID or 429. */
  async judge(pathId: string, body: unknown, ctx: RequestContext): Promise<JudgedToken> {
    const ip = rateLimitKeyOf(ctx.ip);
    // A malformed id names no user: only the address's failures are counted.
    const userId = isUuid(pathId) ? pathId.toLowerCase() : null;
    const failureKeys: FailureKeys = userId
      ? [
          ['RESET_FAILURES_TARGET_IP', `${userId}:${ip}`],
          ['RESET_FAILURES_TARGET', userId],
          ['RESET_FAILURES_IP', ip],
        ]
      : [['RESET_FAILURES_IP', ip]];
    const token = userId ? tokenOf(body) : null;
    const live = token && userId ? await this.tokens.findLive(token, userId) : null;
    if (!live) throw await this.failure(failureKeys);
    return { live, failureKeys };
  }

  /**
   * Counts a token failure against every key and returns the error to answer: RESET_TOKEN_INVALID,
   * or 429 when any of the budgets is spent. Also for a token that died after it was judged live
   * (a concurrent request used or cancelled it, its user was deleted).
   */
  async failure(failureKeys: FailureKeys): Promise<Error> {
    const limited = await this.rateLimiter.consumeAll(failureKeys);
    return limited ?? Errors.resetTokenInvalid();
  }
}
