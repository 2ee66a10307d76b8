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
  /**
   * Reserved to a human: only a login session of a user who is an admin now. No scope opens it,
   * so any PAT and any `user` session is 403 FORBIDDEN (a leaked PAT must not change these).
   */
  adminSession?: boolean;
  /**
   * The body keys a credential with `scope` may send; any other key needs an admin session
   * (`PATCH /v3/accounts/{id}`: a PAT may change only `name`), whatever its value.
   */
  scopedBodyKeys?: readonly string[];
  /** No credential needed. */
  public?: boolean;
}

/** A route's whole access policy and its OpenAPI security in one decorator. */
export function Auth(policy: Omit<AuthPolicy, 'public'> = {}) {
  const who = policy.adminSession
    ? 'Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused.'
    : policy.selfOnly
      ? 'Only a session of the user named in the path.'
      : policy.sessionOnly
        ? 'Needs a session token.'
        : `Needs the \`${policy.scope}\` scope${policy.self ? ', or a session of the user named in the path' : ''}${
            policy.scopedBodyKeys
              ? `; any body field other than ${policy.scopedBodyKeys.map((k) => `\`${k}\``).join(', ')} needs an admin session`
              : ''
          }.`;
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
