import Mustache from 'mustache';
import type { EmailEvent } from './email-template.entity.js';

/** Every placeholder a template may use (API.md "Email templates"). */
export const PLACEHOLDERS = [
  'user.id',
  'user.email',
  'user.firstName',
  'user.lastName',
  'account.name',
  'token',
  'link',
  'cancelLink',
  'expiresAt',
  'newEmail',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const USER_PLACEHOLDERS: readonly Placeholder[] = [
  'user.id',
  'user.email',
  'user.firstName',
  'user.lastName',
  'account.name',
];

/**
 * What each event's templates may use: only a reset email has a token, link or expiry, and only an
 * email-changed email (sent to the previous address, which `user.email` holds) the new address.
 */
export const EVENT_PLACEHOLDERS: Record<EmailEvent, readonly Placeholder[]> = {
  'user.reset-password-request': PLACEHOLDERS.filter((p) => p !== 'newEmail'),
  'user.password-changed': USER_PLACEHOLDERS,
  'user.email-changed': [...USER_PLACEHOLDERS, 'newEmail'],
};

/** A link cannot contain itself or the cancel link (API.md); it may carry the token's expiry. */
export const LINK_PLACEHOLDERS: readonly Placeholder[] = [...USER_PLACEHOLDERS, 'token', 'expiresAt'];

/** A template that does not parse or uses something it may not; its message is safe to show the author. */
export class TemplateError extends Error {}

/** The data a template is rendered with. */
export interface TemplateValues {
  user: { id: string; email: string; firstName: string | null; lastName: string | null };
  account: { name: string };
  token?: string;
  link?: string | null;
  /** The hosted cancel page for this token (`{{cancelLink}}`, reset emails only). */
  cancelLink?: string | null;
  expiresAt?: Date;
  /** The user's new address, for `user.email-changed`. */
  newEmail?: string;
}

export type TemplateKind = 'html' | 'text' | 'subject' | 'link';

/** mustache token: [type, value, start, end, children?]. */
type Token = [string, string, number, number, Token[]?];

const TAG_NAMES: Record<string, string> = {
  '>': 'partials ({{> …}})',
  '=': 'delimiter changes ({{= … =}})',
  '&': 'unescaped values ({{{ … }}} or {{& …}})',
  '#': 'sections ({{# …}})',
  '^': 'inverted sections ({{^ …}})',
};

/**
 * How deep sections may nest. Checking and rendering recurse once per level (parsing does not), so a hostile
 * template thousands of levels deep would overflow the stack: it is refused here, before it is ever rendered.
 */
const MAX_SECTION_DEPTH = 32;

/**
 * Parses a template and checks that it only uses `allowed` placeholders, written without spaces, and the tags its
 * kind allows: no partials or delimiter changes anywhere, no unescaped values in HTML (user-controlled
 * names would become markup), plain `{{name}}` tags only in a link, and sections at most
 * MAX_SECTION_DEPTH deep. Throws TemplateError.
 */
export function checkTemplate(template: string, kind: TemplateKind, allowed: readonly string[]): void {
  let tokens: Token[];
  try {
    tokens = new Mustache.Writer().parse(template) as Token[];
  } catch (err) {
    throw new TemplateError(`does not parse: ${(err as Error).message}`);
  }
  const walk = (list: Token[], depth: number) => {
    for (const [type, name, start, end, children] of list) {
      if (type === 'text' || type === '!') continue;
      const tagAllowed =
        type === 'name' ||
        (kind !== 'link' && (type === '#' || type === '^')) ||
        (type === '&' && kind !== 'html' && kind !== 'link');
      if (!tagAllowed) throw new TemplateError(`${TAG_NAMES[type] ?? `"${type}" tags`} are not allowed (at ${start})`);
      // API.md: placeholders are written {{name}}, without spaces (mustache would read `{{ name }}` as the same).
      if (/\s/.test(template.slice(start, end))) {
        throw new TemplateError(`placeholders are written without spaces, as {{${name}}} (at ${start})`);
      }
      if (!(allowed.includes(name) || (depth > 0 && name === '.'))) {
        throw new TemplateError(`unknown placeholder {{${name}}} (at ${start}); use one of ${allowed.join(', ')}`);
      }
      if (children) {
        if (depth === MAX_SECTION_DEPTH) {
          throw new TemplateError(`sections are nested more than ${MAX_SECTION_DEPTH} deep (at ${start})`);
        }
        walk(children, depth + 1);
      }
    }
  };
  walk(tokens, 0);
}

const identity = (v: unknown) => String(v);
const ESCAPES: Record<TemplateKind, (v: unknown) => string> = {
  html: Mustache.escape,
  text: identity,
  subject: identity,
  link: (v) => encodeURIComponent(String(v)),
};

/** A view with no prototype and only strings in it: a template cannot reach a function (no lambdas). */
function viewOf(values: TemplateValues): object {
  const plain = <T extends object>(entries: T): T => Object.assign(Object.create(null) as T, entries);
  return plain({
    user: plain({
      id: values.user.id,
      email: values.user.email,
      firstName: values.user.firstName ?? '',
      lastName: values.user.lastName ?? '',
    }),
    account: plain({ name: values.account.name }),
    token: values.token ?? '',
    link: values.link ?? '',
    cancelLink: values.cancelLink ?? '',
    expiresAt: values.expiresAt ? values.expiresAt.toUTCString() : '',
    newEmail: values.newEmail ?? '',
  });
}

/** How many characters of template text the parsed-template cache holds at most. */
const PARSED_TEMPLATE_CHARS = 1_000_000;

/**
 * Parsed templates by their text, the least recently used dropped first once their texts add up to more than
 * PARSED_TEMPLATE_CHARS: mustache's own cache keeps every template it ever saw (and previews are arbitrary), and
 * without a cache every render parses again, which costs about 160 µs of CPU for the three parts of the built-in
 * password-changed email (BENCHMARKS.md, `reset`).
 */
class ParsedTemplates {
  private readonly parsed = new Map<string, unknown>();
  private chars = 0;

  get(key: string): unknown {
    const tokens = this.parsed.get(key);
    if (tokens !== undefined) {
      this.parsed.delete(key);
      this.parsed.set(key, tokens);
    }
    return tokens;
  }

  set(key: string, tokens: unknown): void {
    if (key.length > PARSED_TEMPLATE_CHARS || this.parsed.has(key)) return;
    this.parsed.set(key, tokens);
    this.chars += key.length;
    for (const old of this.parsed.keys()) {
      if (this.chars <= PARSED_TEMPLATE_CHARS) break;
      this.parsed.delete(old);
      this.chars -= old.length;
    }
  }

  clear(): void {
    this.parsed.clear();
    this.chars = 0;
  }
}

/** The one writer of rendered templates, with its own bounded cache (mustache's default writer keeps its own). */
const writer = Object.assign(new Mustache.Writer(), { templateCache: new ParsedTemplates() });

/**
 * Renders a checked template: values HTML-escaped in HTML, percent-encoded in a link, verbatim in
 * text and subject; a subject loses its line breaks (header injection). No partials are passed.
 */
export function renderTemplate(template: string, kind: TemplateKind, values: TemplateValues): string {
  const out = writer.render(template, viewOf(values), undefined, { escape: ESCAPES[kind] });
  return kind === 'subject' ? out.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() : out;
}
