import Mustache from 'mustache';
import {
  checkTemplate,
  LINK_PLACEHOLDERS,
  renderTemplate,
  TemplateError,
  type TemplateValues,
} from './template-renderer.js';

export const MAX_LINK_TEMPLATE_LENGTH = 2048;

/** Where an account's reset links may point. */
export interface LinkPolicy {
  /** The account's `allowedRedirectHosts`: `host` (any port) or `host:port`. */
  allowedHosts: readonly string[];
  /** config.publicPortalUrl: its host is always allowed. */
  portalUrl: string;
}

/** The built-in link: the token travels in the fragment, which browsers never send to a server. */
export const builtInLinkTemplate = (portalUrl: string) =>
  `${portalUrl}/reset-password?userId={{user.id}}#token={{token}}`;

/**
 * The "I did not ask for this" link of a reset email (`{{cancelLink}}`): the service's own hosted
 * cancel page, whatever the account's linkTemplate, with the token in the fragment like the reset link.
 */
export const cancelLinkTemplate = (publicUrl: string) =>
  `${publicUrl}/reset-password/cancel?userId={{user.id}}#token={{token}}`;

/**
 * Each placeholder becomes a letters-only marker, a valid host label that no part of a URL ever
 * encodes, so `new URL()` shows where it landed and its serialisation keeps it as it is.
 */
const marker = (i: number) =>
  `lkph${i.toString(26).replace(/[0-9a-p]/g, (d) => 'abcdefghijklmnopqrstuvwxyz'[parseInt(d, 26)])}mark`;
const MARKER = /lkph[a-z]+?mark/;
/**
 * Never in a link template: URL parsers disagree on backslashes, drop tabs and newlines, and mail
 * clients break links at spaces and quotes; format characters hide text; `<`, `>` and quotes could
 * leave an HTML attribute.
 */
const FORBIDDEN = /[\\\s"'<>\p{Cc}\p{Cf}]/u;

function hostMatches(url: URL, entry: string): boolean {
  let allowed: URL;
  try {
    allowed = new URL(`https://${entry.trim()}`);
  } catch {
    return false;
  }
  return allowed.hostname === url.hostname && (allowed.port === '' || allowed.port === url.port);
}

function portalHostMatches(url: URL, portalUrl: string): boolean {
  const portal = new URL(portalUrl);
  return portal.hostname === url.hostname && portal.port === url.port;
}

/**
 * Why a link template is not acceptable (empty when it is): it must be an `https` URL (`http` only
 * for localhost) on an allowed host, without user info, with placeholders only in its path, query
 * and fragment. The template is parsed with every placeholder replaced by a marker, so a placeholder
 * that would land in the scheme, user info, host or port is seen where the URL parser puts it.
 */
export function linkTemplateProblems(template: string, policy: LinkPolicy): string[] {
  if (template.length > MAX_LINK_TEMPLATE_LENGTH) return [`must be at most ${MAX_LINK_TEMPLATE_LENGTH} characters`];
  if (FORBIDDEN.test(template)) {
    return ['must not contain spaces or control characters, format characters, backslashes, quotes, < or >'];
  }
  try {
    checkTemplate(template, 'link', LINK_PLACEHOLDERS);
  } catch (err) {
    if (err instanceof TemplateError) return [err.message];
    throw err;
  }
  if (!/^https?:\/\//i.test(template)) return ['must start with https:// (or http:// for localhost)'];
  const tokens = new Mustache.Writer().parse(template) as [string, string][];
  // A reset link without the token resets nothing (API.md: it must contain {{token}}).
  if (!tokens.some(([type, value]) => type !== 'text' && value === 'token')) return ['must contain {{token}}'];
  const placeholders = new Map<string, string>();
  const marked = tokens
    .map(([type, value]) => {
      if (type === 'text') return value;
      const m = marker(placeholders.size);
      placeholders.set(m, `{{${value}}}`);
      return m;
    })
    .join('');
  let url: URL;
  try {
    url = new URL(marked);
  } catch {
    return ['must be an absolute URL (placeholders are allowed only in the path, query and fragment)'];
  }
  const problems: string[] = [];
  if ([url.protocol, url.username, url.password, url.hostname, url.port].some((part) => MARKER.test(part))) {
    problems.push('placeholders are allowed only in the path, query and fragment, never in the scheme, host or port');
  }
  if (url.username || url.password) problems.push('must not contain user info (user@host)');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === 'localhost')) {
    problems.push('must be an https URL (http only for localhost)');
  }
  if (
    !MARKER.test(url.hostname) &&
    !portalHostMatches(url, policy.portalUrl) &&
    !policy.allowedHosts.some((entry) => hostMatches(url, entry))
  ) {
    problems.push(`host "${url.host}" is not in the account's allowedRedirectHosts`);
  }
  // Only a URL already in its WHATWG serialisation reads the same to every parser and mail client.
  if (url.href !== marked) {
    const serialised = url.href.replace(new RegExp(MARKER.source, 'g'), (m) => placeholders.get(m) ?? m);
    problems.push(`must be written in its serialised form: ${serialised}`);
  }
  return problems;
}

/** Renders a checked link template; every value is percent-encoded (encodeURIComponent). */
export const renderLink = (template: string, values: TemplateValues) => renderTemplate(template, 'link', values);
