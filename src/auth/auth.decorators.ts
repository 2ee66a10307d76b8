import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import type { Principal } from './principal.js';
import type { Scope } from './scopes.js';

export const AUTH_POLICY = 'latchkey:auth-policy';

export interface AuthPolicy {
  /** The scope the route needs. */
  scope?: Scope;
  /** Also allowed for a session of the user named by the `id` path parameter. */
  self?: boolean;
  /** Only a session may call it (`logout`). */
  sessionOnly?: boolean;
  /** Only the user's own session (`update-password`): no scope opens it. */
  selfOnly?: boolean;
  /** No credential needed. */
  public?: boolean;
}

/** A route's whole access policy and its OpenAPI security in one decorator. */
export function Auth(policy: Omit<AuthPolicy, 'public'> = {}) {
  const who = policy.selfOnly
    ? 'Only a session of the user named in the path.'
    : policy.sessionOnly
      ? 'Needs a session token.'
      : `Needs the \`${policy.scope}\` scope${policy.self ? ', or a session of the user named in the path' : ''}.`;
  return applyDecorators(
    SetMetadata(AUTH_POLICY, policy),
    ApiBearerAuth('bearer'),
    ApiUnauthorizedResponse({
      description: 'Missing, malformed, unknown, expired or revoked bearer token.',
      type: ErrorResponseDto,
    }),
    ApiForbiddenResponse({ description: `${who} (INSUFFICIENT_SCOPE or FORBIDDEN)`, type: ErrorResponseDto }),
  );
}

/** Opens a route to anyone; the OpenAPI document then says `security: []`. */
export function Public() {
  return SetMetadata(AUTH_POLICY, { public: true } satisfies AuthPolicy);
}

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    ctx.switchToHttp().getRequest<FastifyRequest & { user: Principal }>().user,
);
