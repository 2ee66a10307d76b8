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

/** Each placeholder becomes a marker that is a valid host label, so `new URL()` shows where it landed. */
const marker = (i: number) => `lkph${i}mark`;
const MARKER = /lkph\d+mark/;

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
  // The URL parser silently drops tabs and newlines; nothing may hide in them.
  if (/[\s\u0000-\u001f\u007f]/.test(template)) return ['must not contain spaces or control characters'];
  try {
    checkTemplate(template, 'link', LINK_PLACEHOLDERS);
  } catch (err) {
    if (err instanceof TemplateError) return [err.message];
    throw err;
  }
  if (!/^https?:\/\//i.test(template)) return ['must start with https:// (or http:// for localhost)'];
  let i = 0;
  const tokens = new Mustache.Writer().parse(template) as [string, string][];
  const marked = tokens.map(([type, value]) => (type === 'text' ? value : marker(i++))).join('');
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
  return problems;
}

/** Renders a checked link template; every value is percent-encoded (encodeURIComponent). */
export const renderLink = (template: string, values: TemplateValues) => renderTemplate(template, 'link', values);
