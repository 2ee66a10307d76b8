import type { Client, ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** The request and response bodies of the API, by schema name (e.g. `Schemas['UserResponseDto']`). */
export type Schemas = components['schemas'];

/** An openapi-fetch client typed by the Latchkey API's paths. */
export type LatchkeyClient = Client<paths>;

/**
 * A typed client for the Latchkey API. `token` is a session token or a personal access token, sent as
 * `Authorization: Bearer …`; leave it out for the public routes (login, reset-password, …).
 */
export declare function createLatchkeyClient(
  baseUrl: string,
  token?: string,
  options?: Omit<ClientOptions, 'baseUrl' | 'headers'> & { headers?: Record<string, string> },
): LatchkeyClient;
