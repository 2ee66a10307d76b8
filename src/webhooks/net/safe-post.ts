import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

import { isGloballyReachable } from './address-policy.js';
import { hostProblem, parseWebhookUrl } from './webhook-url.js';

export interface PostResult {
  /** HTTP status, or null when no response was received. */
  status: number | null;
  /** null on any response; otherwise one short line, exactly `address not allowed` when the address policy refused. */
  error: string | null;
  durationMs: number;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export interface PostOptions {
  /** Bounds the whole attempt: resolution, connection, response headers and the bounded body read. */
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  resolve?: Resolver;
  signal?: AbortSignal;
}

export const ADDRESS_NOT_ALLOWED = 'address not allowed';
export const WEBHOOK_USER_AGENT = 'Latchkey-Webhooks/1';
/** The response body is read (so the receiver can finish writing) up to this much, then dropped. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Set by postWebhook itself; a caller's value would change the TLS name (Host), framing or reuse. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

export interface Address {
  address: string;
  family: 4 | 6;
}

/** The system resolver; names under `.localhost` are loopback, as RFC 6761 §6.3 asks, whatever DNS says. */
export const defaultResolver: Resolver = async (hostname) => {
  const name = /(^|\.)localhost\.?$/i.test(hostname) ? 'localhost' : hostname;
  const found = await dns.promises.lookup(name, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * POSTs `body` to `url` once (SECURITY.md S19): the host is resolved once, every address must be
 * globally reachable unless `allowPrivateNetworks`, and the connection goes only to those checked
 * addresses (a `lookup` that returns them, so TLS still verifies the URL's host name). Redirects are
 * not followed, no proxy is used, and no connection is reused. Never throws.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostResult> {
  const started = performance.now();
  const result = (status: number | null, error: string | null): PostResult => ({
    status,
    error,
    durationMs: Math.round(performance.now() - started),
  });

  // A name that does not resolve answers like one that resolves to a refused address: otherwise the two answers would
  // tell which names the operator's own resolver knows (API.md: nothing that maps the operator's network).
  const lookupFailed = options.allowPrivateNetworks ? 'DNS lookup failed' : ADDRESS_NOT_ALLOWED;
  const target = parseWebhookUrl(url);
  if ('problem' in target) return result(null, 'invalid URL');
  // The address verdict comes first: `http://10.0.0.1/` is refused for its address, not its scheme.
  if (hostProblem(target, options.allowPrivateNetworks) !== null) return result(null, ADDRESS_NOT_ALLOWED);
  if (target.formProblem !== null) return result(null, 'invalid URL');

  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort('timeout'), options.timeoutMs);
  const onAbort = (): void => attempt.abort('aborted');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    let found: unknown[] = [target.hostname];
    if (!target.ipLiteral) {
      const resolver = options.resolve ?? defaultResolver;
      // `then` also catches a resolver that throws instead of rejecting.
      const lookup = Promise.resolve(target.hostname).then(resolver);
      const resolved = await abortable(lookup, attempt.signal).catch(() => null);
      if (attempt.signal.aborted) return result(null, String(attempt.signal.reason));
      if (!Array.isArray(resolved) || resolved.length === 0) return result(null, lookupFailed);
      found = resolved.map((entry: { address?: unknown } | null) => entry?.address);
    }
    if (!options.allowPrivateNetworks && !found.every((a) => typeof a === 'string' && isGloballyReachable(a))) {
      return result(null, ADDRESS_NOT_ALLOWED);
    }
    // The family is taken from the text, not from the resolver's word for it.
    const pinned = found.flatMap((address): Address[] => {
      const family = typeof address === 'string' ? net.isIP(address) : 0;
      return family === 0 ? [] : [{ address: address as string, family: family === 6 ? 6 : 4 }];
    });
    if (pinned.length === 0) return result(null, lookupFailed);
    const { status, error } = await send(target.url, target.hostname, pinned, body, headers, attempt.signal);
    return result(status, error);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function send(
  url: URL,
  hostname: string,
  addresses: Address[],
  body: string,
  given: Record<string, string>,
  signal: AbortSignal,
): Promise<{ status: number | null; error: string | null }> {
  const secure = url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const headers: Record<string, string | number> = {};
  if (!Object.keys(given).some((name) => name.toLowerCase() === 'user-agent')) {
    headers['user-agent'] = WEBHOOK_USER_AGENT;
  }
  for (const [name, value] of Object.entries(given)) {
    if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  headers['content-length'] = Buffer.byteLength(body);
  headers.connection = 'close';

  return new Promise((resolve) => {
    let status: number | null = null;
    let request: http.ClientRequest | undefined;
    let finished = false;
    const finish = (error: string | null): void => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve({ status, error: status === null ? (error ?? 'no response') : null });
    };
    const onAbort = (): void => finish(String(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return finish(String(signal.reason));
    try {
      // No agent: `createConnection` makes the one socket, so nothing is pooled, reused or proxied.
      request = (secure ? https : http).request({
        host: hostname,
        port,
        defaultPort: secure ? 443 : 80,
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers,
        createConnection: () => connect(hostname, port, addresses, secure),
      });
    } catch {
      return finish('invalid request');
    }
    request.on('error', (error) => finish(describeError(error)));
    request.on('response', (response) => {
      status = response.statusCode ?? null;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_RESPONSE_BYTES) finish(null);
      });
      response.on('end', () => finish(null));
      response.on('error', () => finish(null));
    });
    request.end(body);
  });
}

/**
 * A `lookup` for `net.connect` that answers with the checked addresses instead of resolving again,
 * in both of Node's shapes: `all: true` (Node ≥ 20, which then tries them in turn) or one address.
 */
export function pinnedLookup(addresses: readonly Address[]): net.LookupFunction {
  return (_name, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const matching = addresses.filter(({ family }) => wanted === 0 || family === wanted);
    process.nextTick(() => {
      if (matching.length === 0) callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
      else if (options.all)
        callback(
          null,
          matching.map(({ address, family }) => ({ address, family })),
        );
      else callback(null, matching[0].address, matching[0].family);
    });
  };
}

/** A socket to one of the checked `addresses` only. */
function connect(hostname: string, port: number, addresses: Address[], secure: boolean): net.Socket {
  const lookup = pinnedLookup(addresses);
  const options = { host: hostname, port, lookup, autoSelectFamily: true };
  if (!secure) return net.connect(options);
  // Verified against the URL's host name (SNI too, except for an IP literal); `rejectUnauthorized` is the default.
  return tls.connect({
    ...options,
    servername: net.isIP(hostname) === 0 ? hostname.replace(/\.$/, '') : undefined,
    rejectUnauthorized: true,
    ALPNProtocols: ['http/1.1'],
  });
}

/** One short line that names no address, port or resolver detail. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'DNS lookup failed';
  if (code?.startsWith('HPE_')) return 'invalid HTTP response';
  if (
    code !== undefined &&
    (code.startsWith('ERR_TLS_') ||
      code.startsWith('ERR_SSL_') ||
      code === 'EPROTO' ||
      /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code))
  ) {
    return 'TLS error';
  }
  return 'connection failed';
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError && error.errors.length > 0) return errorCode(error.errors[0]);
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(String(signal.reason)));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
