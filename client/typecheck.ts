// Compile-time checks that the generated types really constrain calls (checked by `tsc -p client`).
import { createLatchkeyClient, type Schemas } from './index.js';

const client = createLatchkeyClient('http://localhost:3000', 'lk_pat_example');

export async function typedCalls(userId: string): Promise<void> {
  const { data: users } = await client.GET('/v3/users', { params: { query: { limit: 10, sort: '-createdAt' } } });
  const firstEmail: string | undefined = users?.[0]?.email;

  const { data: issued, error } = await client.POST('/v3/users/{id}/reset-password-token', {
    params: { path: { id: userId } },
    body: { expiresInSeconds: 900 },
  });
  const token: string | undefined = issued?.resetPasswordToken;
  const code: string | undefined = error?.code;

  // @ts-expect-error an unknown path
  await client.GET('/v3/no-such-route');
  // @ts-expect-error a path parameter is required
  await client.GET('/v3/users/{id}', {});
  // @ts-expect-error `sort` takes only the documented fields
  await client.GET('/v3/users', { params: { query: { sort: 'password' } } });
  // @ts-expect-error reset-password needs the new password
  await client.POST('/v3/users/{id}/reset-password', { params: { path: { id: userId } }, body: { token: 'x' } });

  const user: Schemas['UserResponseDto'] | undefined = users?.[0];
  // @ts-expect-error a user never carries its password hash
  void user?.passwordHash;
  void [firstEmail, token, code];
}
