import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who sent a request, as the event log and the rate limits see it. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

function requestContextOf(req: FastifyRequest): RequestContext {
  // request.ip honours TRUST_PROXY: the socket's address, or the one the trusted proxy appended.
  const ua = req.headers['user-agent'];
  return {
    ip: req.ip ?? req.socket.remoteAddress ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
  };
}

export const ReqContext = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext =>
  requestContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
