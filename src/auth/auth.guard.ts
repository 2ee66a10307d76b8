import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { Errors } from '../common/api-error.js';
import { AUTH_POLICY, type AuthPolicy } from './auth.decorators.js';
import { isSelf, type Principal } from './principal.js';

/**
 * The one global guard. 401 for a missing or bad token, then 403 for a missing scope; the 404 of
 * another tenant's id and the route's own rules come after, in the services.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (policy?.public) return true;
    await super.canActivate(context);
    const req = context.switchToHttp().getRequest<Request & { user: Principal }>();
    const principal = req.user;
    // Private by default: a route without @Auth() needs an admin session.
    const rule = policy ?? {};
    const targetId = typeof req.params?.id === 'string' ? req.params.id.toLowerCase() : undefined;
    if (rule.selfOnly) {
      if (principal.kind !== 'session') throw Errors.forbidden('Only a session of this user may do this.');
      return true; // the service compares the path id with the session's user
    }
    if (rule.sessionOnly) {
      if (principal.kind !== 'session') throw Errors.forbidden('This operation needs a session token.');
      return true;
    }
    if (rule.scope && principal.scopes.has(rule.scope)) return true;
    if (rule.self && targetId && isSelf(principal, targetId)) return true;
    if (!rule.scope) {
      if (principal.kind === 'session' && principal.role === 'admin') return true;
      throw Errors.forbidden('This operation needs an admin session.');
    }
    throw Errors.insufficientScope(rule.scope);
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw Errors.unauthenticated();
    return user;
  }
}
