import { RequestMethod, type Type } from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  METHOD_METADATA,
  MODULE_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { AUTH_POLICY, type AuthPolicy } from './auth.decorators.js';

export interface RouteEntry {
  /** `GET`, `POST`, … */
  method: string;
  /** `/v3/users/:id`, as Nest registers it. */
  path: string;
  controller: string;
  handler: string;
  /** The route's `@Auth(...)` or `@Public()`, or undefined when it has neither. */
  policy: AuthPolicy | undefined;
  /** The handler's parameters that Nest fills from the request: `BODY`, `QUERY`, `PARAM`, … or `custom`. */
  params: RouteParam[];
}

export interface RouteParam {
  index: number;
  type: string;
  /** The pipes bound to this parameter, as given to its decorator (classes or instances). */
  pipes: unknown[];
}

/** Nest's record of a handler's parameters (ROUTE_ARGS_METADATA): keyed `type:index`, custom decorators by name. */
function paramsOf(controller: Type<unknown>, handler: string): RouteParam[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { index: number; pipes?: unknown[] }
  >;
  return Object.entries(args)
    .map(([key, arg]) => ({
      index: arg.index,
      type: key.includes(CUSTOM_ROUTE_ARGS_METADATA) ? 'custom' : RouteParamtypes[Number(key.split(':')[0])],
      pipes: arg.pipes ?? [],
    }))
    .sort((a, b) => a.index - b.index);
}

type ModuleRef = Type<unknown> | { module: Type<unknown>; imports?: unknown[]; controllers?: Type<unknown>[] };

const join = (...parts: (string | string[] | undefined)[]) =>
  '/' +
  parts
    .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/**
 * Every controller route reachable from `root`, read from Nest's decorator metadata (the same metadata the router
 * and the AuthGuard read): the module tree is walked through `imports`, dynamic modules and `forwardRef`s included.
 * Nothing is instantiated, so it needs no database.
 */
export function routeTable(root: Type<unknown>): RouteEntry[] {
  const seen = new Set<unknown>();
  const controllers: Type<unknown>[] = [];
  const visit = (ref: unknown) => {
    if (!ref) return;
    if (typeof ref === 'object' && 'forwardRef' in ref)
      return visit((ref as { forwardRef: () => unknown }).forwardRef());
    const module = typeof ref === 'function' ? ref : (ref as { module: Type<unknown> }).module;
    if (seen.has(ref)) return;
    seen.add(ref);
    const dynamic = typeof ref === 'object' ? (ref as Exclude<ModuleRef, Type<unknown>>) : undefined;
    const own = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) as Type<unknown>[] | undefined) ?? [];
    for (const c of [...own, ...(dynamic?.controllers ?? [])]) if (!controllers.includes(c)) controllers.push(c);
    const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) as unknown[] | undefined) ?? [];
    for (const i of [...imports, ...(dynamic?.imports ?? [])]) visit(i);
  };
  visit(root);

  const routes: RouteEntry[] = [];
  for (const controller of controllers) {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
    const proto = controller.prototype as Record<string, unknown>;
    for (const handler of Object.getOwnPropertyNames(proto)) {
      const fn = proto[handler];
      if (handler === 'constructor' || typeof fn !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      routes.push({
        method: RequestMethod[method],
        path: join(base, path),
        controller: controller.name,
        handler,
        // The guard reads the handler's metadata first, then the controller's.
        policy: (Reflect.getMetadata(AUTH_POLICY, fn) ?? Reflect.getMetadata(AUTH_POLICY, controller)) as
          AuthPolicy | undefined,
        params: paramsOf(controller, handler),
      });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
