import { describe, expect, it } from '@jest/globals';
import { AppModule } from '../app.module.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { routeTable } from './route-table.js';

/** Every route anyone may call without a credential. A new public route must be added here on purpose. */
const PUBLIC_ROUTES = [
  'GET /', // redirects to /docs
  'GET /health',
  'GET /health/ready',
  'GET /reset-password',
  'GET /reset-password/cancel',
  'GET /reset-password/cancel.js',
  'GET /reset-password/favicon.svg',
  'GET /reset-password/page.css',
  'GET /reset-password/page.js',
  'POST /v3/accounts',
  'POST /v3/accounts/login',
  'POST /v3/accounts/reset-password-request',
  'POST /v3/users/:id/reset-password',
  'POST /v3/users/:id/reset-password/cancel',
  'POST /v3/users/:id/reset-password/verify',
].sort();

/** Bodies typed `unknown`, which their service validates itself (after judging the token: API.md's order of checks). */
const BODIES_VALIDATED_BY_THE_SERVICE = [
  'POST /v3/users/:id/reset-password',
  'POST /v3/users/:id/reset-password/cancel',
  'POST /v3/users/:id/reset-password/verify',
].sort();

describe('route table', () => {
  const routes = routeTable(AppModule);
  const name = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

  it('finds every controller of the app', () => {
    expect(new Set(routes.map((r) => r.controller)).size).toBeGreaterThanOrEqual(9);
    expect(routes.map(name)).toContain('GET /v3/users/:id');
    expect(routes.map(name)).toContain('GET /v3/event-logs');
  });

  it.each(routes.map((r) => [name(r), r] as const))('%s declares @Auth(...) or @Public()', (_, route) => {
    expect(route.policy).toBeDefined();
    expect(typeof route.policy).toBe('object');
    // A protected route says who may call it: a scope, or one of the session-only policies.
    if (!route.policy!.public)
      expect(
        Boolean(
          route.policy!.scope || route.policy!.adminSession || route.policy!.selfOnly || route.policy!.sessionOnly,
        ),
      ).toBe(true);
  });

  it('the public routes are exactly the allow-list', () => {
    expect(
      routes
        .filter((r) => r.policy?.public)
        .map(name)
        .sort(),
    ).toEqual(PUBLIC_ROUTES);
  });

  // The validation pipe is bound per parameter, not globally (validation.pipe.ts): a body or a query without it would
  // reach its handler unvalidated.
  const inputs = routes.flatMap((r) =>
    r.params.filter((p) => p.type === 'BODY' || p.type === 'QUERY').map((p) => [`${name(r)} ${p.type}`, r, p] as const),
  );

  it('finds the bodies and queries of the routes', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(20);
    expect(inputs.map(([n]) => n)).toContain('POST /v3/users/:id/reset-password-token BODY');
    expect(inputs.map(([n]) => n)).toContain('GET /v3/users QUERY');
  });

  it.each(inputs)('%s is validated', (_, route, param) => {
    if (!param.pipes.includes(AppValidationPipe)) expect(BODIES_VALIDATED_BY_THE_SERVICE).toContain(name(route));
  });

  it('the bodies validated by their service are exactly the allow-list', () => {
    const unvalidated = inputs.filter(([, , p]) => !p.pipes.includes(AppValidationPipe)).map(([, r]) => name(r));
    expect(unvalidated.sort()).toEqual(BODIES_VALIDATED_BY_THE_SERVICE);
  });
});
