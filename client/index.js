import createClient from 'openapi-fetch';

/**
 * A typed client for the Latchkey API: paths, parameters, bodies and responses all come from the
 * committed openapi.json (see schema.d.ts). Without a token it can call the public routes only.
 */
export function createLatchkeyClient(baseUrl, token, options = {}) {
  const headers = { ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  return createClient({ ...options, baseUrl: baseUrl.replace(/\/+$/, ''), headers });
}
