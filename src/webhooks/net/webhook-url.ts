import { isIP } from 'node:net';

import { isGloballyReachable } from './address-policy.js';

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** A parsed URL; its form (`formProblem`) and its host (`hostProblem`) are judged separately. */
export interface WebhookTarget {
  url: URL;
  /** Host without IPv6 brackets, as the WHATWG parser normalised it (lower case, IPv4 as a dotted quad). */
  hostname: string;
  /** The host is an IP address, so it is not resolved. */
  ipLiteral: boolean;
  /** The host is `localhost` or a name under `.localhost` (RFC 6761 §6.3). */
  localhost: boolean;
  /** What is wrong with the URL apart from its host's address: scheme, length, userinfo, fragment. */
  formProblem: string | null;
}

const tooLong = `The URL must be at most ${WEBHOOK_URL_MAX_LENGTH} characters.`;

/**
 * Parses `url`, or gives the reason it does not parse. WHATWG parsing normalises the host
 * (`https://0x7f.1/` is 127.0.0.1), so the host checks see the address a connection would use.
 */
export function parseWebhookUrl(url: string): WebhookTarget | { problem: string } {
  if (typeof url !== 'string') return { problem: 'The URL must be a string.' };
  if (url.length > WEBHOOK_URL_MAX_LENGTH) return { problem: tooLong };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'The URL is not a valid absolute URL.' };
  }
  const ipv6 = parsed.hostname.startsWith('[');
  const hostname = ipv6 ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const name = hostname.replace(/\.$/, '');
  const localhost = name === 'localhost' || name.endsWith('.localhost');
  // The WHATWG parser has turned every IPv4 spelling (hex, octal, a single number) into a dotted quad.
  const ipLiteral = ipv6 || isIP(hostname) === 4;
  return { url: parsed, hostname, ipLiteral, localhost, formProblem: formProblem(url, parsed, localhost) };
}

function formProblem(text: string, url: URL, localhost: boolean): string | null {
  // The parser silently drops tabs and newlines and trims spaces and controls: what is stored
  // would not be what is delivered to.
  if (/[\u0000-\u0020\u007f]/.test(text)) return 'The URL must not contain spaces or control characters.';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must use https.';
  if (url.protocol === 'http:' && !localhost)
    return 'The URL must use https (plain http is allowed only for localhost).';
  if (url.href.length > WEBHOOK_URL_MAX_LENGTH) return tooLong;
  if (url.username !== '' || url.password !== '') return 'The URL must not contain a user name or password.';
  // `hash` is '' for a bare trailing '#', which still is a fragment; '#' appears nowhere else in an href.
  if (url.href.includes('#')) return 'The URL must not contain a fragment.';
  return null;
}

/** Whether the address policy refuses the host before any resolution: `localhost` names and IP literals. */
export function hostProblem(target: WebhookTarget, allowPrivateNetworks: boolean): string | null {
  if (allowPrivateNetworks) return null;
  if (target.localhost) return 'The URL must not point to localhost.';
  if (target.ipLiteral && !isGloballyReachable(target.hostname)) {
    return 'The URL must not point to a loopback, private, link-local or other non-public address.';
  }
  return null;
}

/** null when `url` may be a webhook endpoint, else a one-sentence reason for a 400 (shown to the caller). */
export function webhookUrlProblem(url: string, allowPrivateNetworks: boolean): string | null {
  const target = parseWebhookUrl(url);
  if ('problem' in target) return target.problem;
  return target.formProblem ?? hostProblem(target, allowPrivateNetworks);
}
