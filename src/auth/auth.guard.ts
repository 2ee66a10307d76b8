import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { Errors } from '../common/api-error.js';
import { bodyProblemError } from '../http/body-parsing.js';
import { AUTH_POLICY, type AuthPolicy } from './auth.decorators.js';
import { BearerStrategy } from './bearer.strategy.js';
import { isAdminSession, isSelf, type Principal } from './principal.js';

/**
 * The one global guard. 401 for a missing or bad token, then 403 for a missing scope or for a
 * change reserved to an admin session (see authorize); the 404 of another tenant's id and the
 * route's own rules come after, in the services.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: BearerStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest<{ Params: { id?: unknown }; Body: unknown }> & { user?: Principal }>();
    if (!policy?.public) {
      const principal = await this.authenticate(req, http.getResponse<FastifyReply>());
      req.user = principal;
      const targetId = typeof req.params?.id === 'string' ? req.params.id.toLowerCase() : undefined;
      authorize(policy ?? {}, principal, targetId, req.body);
    }
    // A body sent to a route that takes none: 400, after 401 and 403 as a body's validation comes after them.
    const bodyProblem = bodyProblemError(req);
    if (bodyProblem) throw bodyProblem;
    return true;
  }

  /** passport-http-bearer with this app's own strategy instance (not passport's global registry). */
  private authenticate(req: FastifyRequest, res: FastifyReply): Promise<Principal> {
    return new Promise((resolve, reject) => {
      const done = (err: unknown, user: Principal | false) => {
        if (err) reject(err);
        else if (!user) reject(Errors.unauthenticated());
        else resolve(user);
      };
      // passport binds success/fail/error onto the strategy object it is given: a fresh object per
      // request, or concurrent requests overwrite each other's callbacks and swap principals.
      passport.authenticate(Object.create(this.strategy) as BearerStrategy, { session: false }, done)(
        req,
        res,
        (err: unknown) => reject(err),
      );
    });
  }
}

/**
 * The scope, self and admin-session rules of a route, for an authenticated principal and the
 * request's parsed body; throws 403 when they fail.
 */
export function authorize(rule: AuthPolicy, principal: Principal, targetId: string | undefined, body?: unknown): true {
  if (rule.adminSession || (rule.scopedBodyKeys && bodyKeys(body).some((k) => !rule.scopedBodyKeys!.includes(k)))) {
    // Reserved to a human: no scope opens it, and the values sent do not matter.
    if (isAdminSession(principal)) return true;
    throw Errors.forbidden(
      rule.adminSession
        ? 'This operation needs an admin session.'
        : `Only ${rule.scopedBodyKeys!.map((k) => `"${k}"`).join(', ')} may be changed without an admin session.`,
    );
  }
  if (rule.selfOnly) {
    // The service compares the path id with the session's user (404 for another tenant's id).
    if (principal.kind !== 'session') throw Errors.forbidden('Only a session of this user may do this.');
    return true;
  }
  if (rule.sessionOnly) {
    if (principal.kind !== 'session') throw Errors.forbidden('This operation needs a session token.');
    return true;
  }
  if (rule.scope && principal.scopes.has(rule.scope)) return true;
  if (rule.self && targetId && isSelf(principal, targetId)) return true;
  if (!rule.scope) {
    // Private by default: a route without @Auth() needs an admin session.
    if (isAdminSession(principal)) return true;
    throw Errors.forbidden('This operation needs an admin session.');
  }
  throw Errors.insufficientScope(rule.scope);
}

/** The keys of a JSON object body; nothing for any other body (the validation pipe answers those). */
const bodyKeys = (body: unknown): string[] =>
  body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
