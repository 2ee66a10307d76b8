import 'reflect-metadata';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { CredentialsService } from '../access-tokens/credentials.service.js';
import { ApiError } from '../common/api-error.js';
import { Auth, Public } from './auth.decorators.js';
import { AuthGuard, authorize } from './auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { ALL_SCOPES, expandScopes } from './scopes.js';

const ACCOUNT = '00000000-0000-4000-8000-00000000000a';
const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

const adminSession: Principal = {
  kind: 'session',
  accountId: ACCOUNT,
  userId: ME,
  role: 'admin',
  scopes: ALL_SCOPES,
  tokenId: 'ses-1',
  expiresAt: null,
};
const userSession: Principal = { ...adminSession, role: 'user', scopes: new Set() };
const pat = (scopes: string[]): Principal => ({
  ...adminSession,
  kind: 'pat',
  scopes: expandScopes(scopes),
  tokenId: 'pat-1',
});

/** Routes with the policies the real controllers use. */
class Routes {
  @Public()
  open() {}

  @Auth({ scope: 'user:read' })
  listUsers() {}

  @Auth({ scope: 'user:read', self: true })
  getUser() {}

  @Auth({ selfOnly: true })
  updatePassword() {}

  @Auth({ sessionOnly: true })
  logout() {}

  @Auth({ adminSession: true })
  putTemplate() {}

  @Auth({ scope: 'account:write', scopedBodyKeys: ['name'] })
  updateAccount() {}

  undecorated() {}
}

/** A policy on the class applies to every method; a method's own policy overrides it. */
@Public()
class PublicController {
  @Auth({ scope: 'eventLog:read' })
  protectedInside() {}

  open() {}
}

type Handler = keyof Routes | keyof PublicController;
interface FakeRequest {
  headers: Record<string, string>;
  params: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
  user?: Principal;
}

describe('AuthGuard', () => {
  /** The principal each bearer token resolves to; the real passport-http-bearer strategy parses the header. */
  const issued = new Map<string, Principal>();
  const resolve = jest.fn(async (token: string) => issued.get(token) ?? null);
  const credentials = { resolve } as unknown as CredentialsService;
  const guard = new AuthGuard(new Reflector(), new BearerStrategy(credentials));

  beforeEach(() => {
    issued.clear();
    resolve.mockClear();
  });

  /** Calls the guard for `handler` as `caller` (none: no Authorization header). */
  async function decide(
    handler: Handler,
    caller: Principal | null,
    params: Record<string, string> = {},
    cls: new () => object = Routes,
    body?: unknown,
  ) {
    const req: FakeRequest = { headers: {}, params, query: {}, body };
    if (caller) {
      const token = `token-${issued.size}`;
      issued.set(token, caller);
      req.headers.authorization = `Bearer ${token}`;
    }
    const ctx = {
      getHandler: () => (cls.prototype as Record<string, unknown>)[handler],
      getClass: () => cls,
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}), getNext: () => undefined }),
    } as unknown as ExecutionContext;
    const allowed = await guard.canActivate(ctx);
    return { allowed, req };
  }

  const rejection = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    return { status: (err as ApiError).getStatus(), code: (err as ApiError).code };
  };
  const FORBIDDEN = { status: 403, code: 'FORBIDDEN' };
  const INSUFFICIENT_SCOPE = { status: 403, code: 'INSUFFICIENT_SCOPE' };
  const UNAUTHENTICATED = { status: 401, code: 'UNAUTHENTICATED' };

  it('lets anyone through a public route without looking at credentials', async () => {
    expect((await decide('open', null)).allowed).toBe(true);
    expect((await decide('open', null, {}, PublicController)).allowed).toBe(true);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('lets a method policy override a public controller', async () => {
    expect(await rejection(decide('protectedInside', null, {}, PublicController))).toEqual(UNAUTHENTICATED);
    expect(await rejection(decide('protectedInside', pat(['user:read']), {}, PublicController))).toEqual(
      INSUFFICIENT_SCOPE,
    );
  });

  it('is 401 UNAUTHENTICATED without a token or with one that resolves to nobody, before any scope decision', async () => {
    expect(await rejection(decide('listUsers', null))).toEqual(UNAUTHENTICATED);
    expect(await rejection(decide('updatePassword', null, { id: ME }))).toEqual(UNAUTHENTICATED);
    expect(await rejection(decide('undecorated', null))).toEqual(UNAUTHENTICATED);
  });

  it('reads the token from the Authorization header only', async () => {
    issued.set('in-query', adminSession);
    const req: FakeRequest = { headers: {}, params: {}, query: { access_token: 'in-query' } };
    const ctx = {
      getHandler: () => Routes.prototype.listUsers,
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }),
    } as unknown as ExecutionContext;
    expect(await rejection(guard.canActivate(ctx))).toEqual(UNAUTHENTICATED);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('passes on an error from resolving the token', async () => {
    const boom = new Error('database down');
    resolve.mockRejectedValueOnce(boom);
    await expect(decide('listUsers', adminSession)).rejects.toBe(boom);
  });

  it('allows the scope, held directly or implied, and hands the principal to the route', async () => {
    const reader = pat(['user:read']);
    const { allowed, req } = await decide('listUsers', reader);
    expect(allowed).toBe(true);
    expect(req.user).toBe(reader);
    expect((await decide('listUsers', pat(['user:write']))).allowed).toBe(true);
    expect((await decide('listUsers', adminSession)).allowed).toBe(true);
  });

  it('is 403 INSUFFICIENT_SCOPE when the scope is missing', async () => {
    expect(await rejection(decide('listUsers', pat(['account:write', 'user:resetPasswordToken'])))).toEqual(
      INSUFFICIENT_SCOPE,
    );
    expect(await rejection(decide('listUsers', userSession))).toEqual(INSUFFICIENT_SCOPE);
  });

  it('allows a self route for the session of the user in the path, in any case', async () => {
    expect((await decide('getUser', userSession, { id: ME })).allowed).toBe(true);
    expect((await decide('getUser', userSession, { id: ME.toUpperCase() })).allowed).toBe(true);
  });

  it('does not treat another user, or a PAT of the same user, as self', async () => {
    expect(await rejection(decide('getUser', userSession, { id: OTHER }))).toEqual(INSUFFICIENT_SCOPE);
    expect(await rejection(decide('getUser', pat([]), { id: ME }))).toEqual(INSUFFICIENT_SCOPE);
    expect(() => authorize({ scope: 'user:read', self: true }, userSession, undefined)).toThrow(ApiError);
  });

  it('leaves a selfOnly route to sessions, and refuses a PAT with every scope as FORBIDDEN', async () => {
    expect((await decide('updatePassword', userSession, { id: ME })).allowed).toBe(true);
    expect(await rejection(decide('updatePassword', pat([...ALL_SCOPES]), { id: ME }))).toEqual(FORBIDDEN);
  });

  it('refuses a PAT on a sessionOnly route as FORBIDDEN', async () => {
    expect((await decide('logout', userSession)).allowed).toBe(true);
    expect(await rejection(decide('logout', pat([...ALL_SCOPES])))).toEqual(FORBIDDEN);
  });

  it('keeps a route without a policy to admin sessions', async () => {
    expect((await decide('undecorated', adminSession)).allowed).toBe(true);
    expect(await rejection(decide('undecorated', userSession))).toEqual(FORBIDDEN);
    expect(await rejection(decide('undecorated', pat([...ALL_SCOPES])))).toEqual(FORBIDDEN);
  });

  it('keeps an adminSession route to a session of a current admin: any PAT and a user session are FORBIDDEN', async () => {
    expect((await decide('putTemplate', adminSession)).allowed).toBe(true);
    expect(await rejection(decide('putTemplate', pat([...ALL_SCOPES])))).toEqual(FORBIDDEN);
    expect(await rejection(decide('putTemplate', pat(['account:write'])))).toEqual(FORBIDDEN);
    expect(await rejection(decide('putTemplate', userSession))).toEqual(FORBIDDEN);
    expect(await rejection(decide('putTemplate', null))).toEqual(UNAUTHENTICATED);
  });

  it('lets a scoped credential send only the scoped body keys; any other key needs an admin session', async () => {
    const writer = pat(['account:write']);
    expect((await decide('updateAccount', writer, {}, Routes, { name: 'Acme' })).allowed).toBe(true);
    for (const body of [{ minPasswordLength: 15 }, { name: 'Acme', resetTokenTtlSeconds: 3600 }, { unknown: 1 }]) {
      expect(await rejection(decide('updateAccount', writer, {}, Routes, body))).toEqual(FORBIDDEN);
      expect(await rejection(decide('updateAccount', pat([...ALL_SCOPES]), {}, Routes, body))).toEqual(FORBIDDEN);
      expect(await rejection(decide('updateAccount', userSession, {}, Routes, body))).toEqual(FORBIDDEN);
      expect((await decide('updateAccount', adminSession, {}, Routes, body)).allowed).toBe(true);
    }
    // The scope still decides for the scoped keys, and a body that is no object is the validation pipe's.
    expect(await rejection(decide('updateAccount', pat(['account:read']), {}, Routes, { name: 'x' }))).toEqual(
      INSUFFICIENT_SCOPE,
    );
    expect(await rejection(decide('updateAccount', userSession, {}, Routes, { name: 'x' }))).toEqual(
      INSUFFICIENT_SCOPE,
    );
    for (const body of [undefined, null, 'name', ['minPasswordLength']])
      expect((await decide('updateAccount', writer, {}, Routes, body)).allowed).toBe(true);
  });
});
