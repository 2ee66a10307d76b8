/** A route's path as a pattern over request paths (`:param` one segment, `*` the rest, a trailing slash ignored). */
const routePattern = (url: string): RegExp =>
  new RegExp(
    `^${url
      .replace(/\/$/, '')
      .split('/')
      .map((segment) =>
        segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/')}/?$`,
  );

/** The methods the service serves on each route, to tell 405 (with `Allow`) from 404 for an unrouted request. */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: string[] }[] = [];

  add(url: string, method: string | string[]): void {
    // A catch-all (the CORS preflight route) says nothing about which paths exist.
    if (url === '*' || url === '/*') return;
    this.routes.push({ pattern: routePattern(url), methods: [method].flat() });
  }

  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) for (const m of r.methods) methods.add(m);
    return [...methods].sort();
  }
}
