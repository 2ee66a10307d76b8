import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './app.js';

/** A password that passes the policy for any of the factories' names. */
export const STRONG_PASSWORD = 'velvet quasar lantern mosaic 7241';

export interface SignedUp {
  account: { id: string; alias: string; name: string } & Record<string, unknown>;
  user: { id: string; email: string } & Record<string, unknown>;
  accessToken: string;
  password: string;
}

export const uniqueAlias = (prefix = 'acme') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Signs up a new account; its first admin's session is `accessToken`. */
export async function signUp(t: TestApp, overrides: Record<string, unknown> = {}): Promise<SignedUp> {
  const alias = (overrides.alias as string) ?? uniqueAlias();
  const body = {
    name: 'Acme Widgets',
    alias,
    email: `owner@${alias}.test`,
    password: STRONG_PASSWORD,
    firstName: 'Olive',
    lastName: 'Owner',
    ...overrides,
  };
  const res = await request(t.http).post('/v3/accounts').send(body);
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, password: body.password };
}

export async function createPat(
  t: TestApp,
  token: string,
  scopes: string[],
  extra: Record<string, unknown> = {},
): Promise<{ id: string; token: string } & Record<string, unknown>> {
  const res = await request(t.http)
    .post('/v3/personal-access-tokens')
    .set('Authorization', `Bearer ${token}`)
    .send({ name: `pat-${scopes.join('+') || 'none'}`.slice(0, 100), scopes, ...extra });
  if (res.status !== 201) throw new Error(`PAT creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createUser(
  t: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; email: string; role: string } & Record<string, unknown>> {
  const res = await request(t.http)
    .post('/v3/users')
    .set('Authorization', `Bearer ${token}`)
    .send({
      email: `user-${randomUUID().slice(0, 8)}@example.test`,
      firstName: 'Uma',
      lastName: 'User',
      password: STRONG_PASSWORD,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function login(t: TestApp, accountAlias: string, email: string, password = STRONG_PASSWORD) {
  const res = await request(t.http).post('/v3/accounts/login').send({ accountAlias, email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { accessToken: string; expiresAt: string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
