import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Account } from '../accounts/account.entity.js';
import { type ErrorDetail, Errors } from '../common/api-error.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { BUILT_IN_TEMPLATES } from './default-templates.js';
import { type EmailEvent, EmailTemplate } from './email-template.entity.js';
import {
  builtInLinkTemplate,
  cancelLinkTemplate,
  type LinkPolicy,
  linkTemplateProblems,
  renderLink,
} from './link-template.js';
import { localeChain } from './locale.js';
import { OutboxService } from './outbox.service.js';
import {
  checkTemplate,
  EVENT_PLACEHOLDERS,
  renderTemplate,
  TemplateError,
  type TemplateKind,
  type TemplateValues,
} from './template-renderer.js';

/** What mail reads of an account: the id, the name, the link hosts and the reset lifetime (the Account entity is one). */
export type MailAccount = Pick<Account, 'id' | 'name' | 'allowedRedirectHosts' | 'resetTokenTtlSeconds'>;

/** Whom an email goes to and is about: a user (the User entity is one). */
export interface Recipient {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: string | null;
}

export interface TemplatedEmail {
  event: EmailEvent;
  account: MailAccount;
  user: Recipient;
  /** The reset token, for `user.reset-password-request`. */
  token?: string;
  expiresAt?: Date;
  /** The new address, for `user.email-changed`; `user` then still holds the previous one, where it goes. */
  newEmail?: string;
}

/** The template fields a PUT saves and a preview renders over the saved template. */
export interface TemplateContent {
  subject?: string | null;
  htmlBody?: string | null;
  textBody?: string | null;
  linkTemplate?: string | null;
}

/**
 * The template that applies to one user (or one locale): content, sender and link, each with its fallback; a null
 * linkTemplate is the built-in link.
 */
type EffectiveTemplate = Pick<
  EmailTemplate,
  'subject' | 'htmlBody' | 'textBody' | 'fromName' | 'replyTo' | 'linkTemplate'
>;

export interface RenderedEmail {
  subject: string;
  html: string | null;
  text: string | null;
  link: string | null;
}

const BODY_FIELDS: [keyof TemplateContent, TemplateKind][] = [
  ['subject', 'subject'],
  ['htmlBody', 'html'],
  ['textBody', 'text'],
];

/** What a preview is rendered with: nobody real, and a token that cannot work. */
const SAMPLE_USER = {
  id: '00000000-0000-4000-8000-000000000000',
  email: 'jane.doe@example.com',
  firstName: 'Jane',
  lastName: 'Doe',
};
const SAMPLE_TOKEN = 'lk_rst_SamplePreviewTokenNotValid';
const SAMPLE_NEW_EMAIL = 'jane.new@example.com';

/**
 * The account-branded emails: template selection (the user's locale, else the account's template
 * without a locale, else the built-in one), rendering, reset links and queueing in the outbox.
 */
/** A saved template's locale and link template, as RESET_LINK_TEMPLATES_SQL reads them. */
export interface SavedLinkTemplate {
  locale: string;
  linkTemplate: string | null;
}

/**
 * A scalar subquery, for a statement that joins `accounts a`: the account's saved link templates of
 * `user.reset-password-request` as a JSON array of { locale, linkTemplate } (resetLinkFrom picks by locale).
 */
export const RESET_LINK_TEMPLATES_SQL = `(SELECT coalesce(json_agg(json_build_object('locale', t.locale, 'linkTemplate', t.link_template)), '[]')
           FROM email_templates t
          WHERE t.account_id = a.id AND t.event = 'user.reset-password-request' AND t.link_template IS NOT NULL)`;

/**
 * A scalar subquery, for a statement that joins `users u` and `accounts a`: the account's saved templates of the
 * password-changed email for the user's locale chain as stored (`u.locale`, its language subtag, and the template
 * without a locale), as a JSON array of SavedTemplate. enqueueFromSaved() takes it when the chain that
 * localeChain() makes of the user's locale is inside that set; otherwise enqueue() reads the templates itself.
 */
export const PASSWORD_CHANGED_TEMPLATES_SQL = `(SELECT coalesce(json_agg(json_build_object('locale', t.locale,
              'subject', t.subject, 'htmlBody', t.html_body, 'textBody', t.text_body, 'fromName', t.from_name,
              'replyTo', t.reply_to, 'linkTemplate', t.link_template)), '[]')
           FROM email_templates t
          WHERE t.account_id = a.id AND t.event = 'user.password-changed'
            AND t.locale IN ('', coalesce(u.locale, ''), split_part(coalesce(u.locale, ''), '-', 1)))`;

/** The columns of a saved template that selection and rendering read (PASSWORD_CHANGED_TEMPLATES_SQL's items). */
export type SavedTemplate = Pick<
  EmailTemplate,
  'locale' | 'subject' | 'htmlBody' | 'textBody' | 'fromName' | 'replyTo' | 'linkTemplate'
>;

@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(
    @InjectRepository(EmailTemplate) private readonly templates: Repository<EmailTemplate>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  /** The account's reset link for this user (its linkTemplate for the user's locale, else the built-in one). */
  async resetLink(
    account: MailAccount,
    user: Recipient,
    token: string,
    manager?: EntityManager,
    expiresAt?: Date,
  ): Promise<string> {
    const template = await this.effectiveTemplate(account.id, 'user.reset-password-request', user.locale, manager);
    return this.linkFor(account, template.linkTemplate, this.valuesOf(account, user, token, expiresAt));
  }

  /**
   * The same link as resetLink, from the account's saved link templates of `user.reset-password-request` (any
   * locale, as RESET_LINK_TEMPLATES_SQL selects them) that the caller read already: no statement of its own.
   */
  resetLinkFrom(
    account: MailAccount,
    user: Recipient,
    token: string,
    saved: readonly SavedLinkTemplate[],
    expiresAt?: Date,
  ): string {
    const chain = localeChain(user.locale);
    const best = saved
      .filter((t) => t.linkTemplate != null && chain.includes(t.locale))
      .sort((a, b) => chain.indexOf(a.locale) - chain.indexOf(b.locale))[0];
    return this.linkFor(account, best?.linkTemplate ?? null, this.valuesOf(account, user, token, expiresAt));
  }

  /** Renders the account's template for the user's locale and queues it in the outbox, in `manager`'s transaction; returns the outbox id. */
  async enqueue(email: TemplatedEmail, manager: EntityManager): Promise<string> {
    const { event, account, user } = email;
    if (event === 'user.reset-password-request' && !email.token) throw new Error('a reset email needs its token');
    if (event === 'user.email-changed' && !email.newEmail)
      throw new Error('an email-changed email needs the new address');
    return this.queue(email, await this.effectiveTemplate(account.id, event, user.locale, manager), manager);
  }

  /**
   * enqueue() for the password-changed email, with the templates PASSWORD_CHANGED_TEMPLATES_SQL read beside the user
   * (no statement of its own). The SQL matched the locale as stored; when the chain localeChain() makes of it holds
   * another spelling (a locale saved before locales were canonicalised), the templates are read as enqueue() does.
   */
  async enqueuePasswordChanged(
    email: Pick<TemplatedEmail, 'account' | 'user'>,
    saved: readonly SavedTemplate[],
    manager: EntityManager,
  ): Promise<string> {
    const stored = email.user.locale ?? '';
    const chain = localeChain(email.user.locale);
    const template = chain.every((l) => l === '' || l === stored || l === stored.split('-')[0])
      ? effectiveOf('user.password-changed', chain, saved)
      : await this.effectiveTemplate(email.account.id, 'user.password-changed', email.user.locale, manager);
    return this.queue({ ...email, event: 'user.password-changed' }, template, manager);
  }

  private async queue(email: TemplatedEmail, template: EffectiveTemplate, manager: EntityManager): Promise<string> {
    const { event, account, user } = email;
    const values = { ...this.valuesOf(account, user, email.token, email.expiresAt), newEmail: email.newEmail };
    const rendered = this.render(event, account, template, values);
    return this.outbox.enqueue(
      'email',
      {
        event,
        to: user.email,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        // A template's fromName is validated; an account name is not ours to trust in a header.
        fromName: (template.fromName ?? account.name).replace(/[\u0000-\u001f\u007f]+/g, ' '),
        replyTo: template.replyTo,
      },
      account.id,
      manager,
    );
  }

  /**
   * Queues a notice from the service itself (not an account template) to each address, in `manager`'s
   * transaction: plain text, sent under the account's name.
   */
  async enqueueNotice(
    account: Pick<Account, 'id' | 'name'>,
    to: readonly string[],
    notice: { event: string; subject: string; text: string },
    manager: EntityManager,
  ): Promise<void> {
    for (const address of to) {
      await this.outbox.enqueue(
        'email',
        {
          event: notice.event,
          to: address,
          subject: notice.subject,
          html: null,
          text: notice.text,
          fromName: account.name.replace(/[\u0000-\u001f\u007f]+/g, ' '),
          replyTo: null,
        },
        account.id,
        manager,
      );
    }
  }

  /** Renders the template `locale` would get, with `overrides` on top, for a made-up user. 400 when an override is not valid. */
  async preview(
    account: MailAccount,
    event: EmailEvent,
    locale: string,
    overrides: TemplateContent,
  ): Promise<RenderedEmail> {
    this.assertValid(account, event, overrides);
    const saved = await this.effectiveTemplate(account.id, event, locale);
    const template: EffectiveTemplate = {
      ...saved,
      subject: overrides.subject ?? saved.subject,
      htmlBody: overrides.htmlBody ?? saved.htmlBody,
      textBody: overrides.textBody ?? saved.textBody,
      linkTemplate: overrides.linkTemplate ?? saved.linkTemplate,
    };
    const expiresAt = new Date(this.clock.now().getTime() + account.resetTokenTtlSeconds * 1000);
    const values: TemplateValues = {
      user: SAMPLE_USER,
      account: { name: account.name },
      token: SAMPLE_TOKEN,
      expiresAt,
      newEmail: SAMPLE_NEW_EMAIL,
    };
    return this.render(event, account, template, values);
  }

  /**
   * 400 VALIDATION_FAILED, with every problem in `details`, unless each given field parses and uses
   * only its event's placeholders, and a link template is acceptable for this account.
   */
  assertValid(account: MailAccount, event: EmailEvent, content: TemplateContent): void {
    const details: ErrorDetail[] = [];
    for (const [field, kind] of BODY_FIELDS) {
      const template = content[field];
      if (template == null) continue;
      try {
        checkTemplate(template, kind, EVENT_PLACEHOLDERS[event]);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        details.push({ field, message: `${field} ${err.message}` });
      }
    }
    if (content.linkTemplate != null) {
      if (event !== 'user.reset-password-request') {
        details.push({ field: 'linkTemplate', message: `linkTemplate is only for user.reset-password-request` });
      } else {
        for (const problem of linkTemplateProblems(content.linkTemplate, this.linkPolicy(account))) {
          details.push({ field: 'linkTemplate', message: `linkTemplate ${problem}` });
        }
      }
    }
    if (details.length) throw Errors.validation(details);
  }

  /** The built-in link template, with this service's portal URL. */
  builtInLinkTemplate(): string {
    return builtInLinkTemplate(this.config.publicPortalUrl);
  }

  private linkPolicy(account: MailAccount): LinkPolicy {
    return { allowedHosts: account.allowedRedirectHosts ?? [], portalUrl: this.config.publicPortalUrl };
  }

  /** The account's saved templates along the locale chain, best first, merged over the built-in one. */
  private async effectiveTemplate(
    accountId: string,
    event: EmailEvent,
    locale: string | null | undefined,
    manager: EntityManager = this.templates.manager,
  ): Promise<EffectiveTemplate> {
    const chain = localeChain(locale);
    // Plain SQL on the reset path: only the chain's locales, and no entity hydration.
    const rows: SavedTemplate[] = await manager.query(
      `SELECT locale, subject, html_body AS "htmlBody", text_body AS "textBody", from_name AS "fromName",
              reply_to AS "replyTo", link_template AS "linkTemplate"
         FROM email_templates WHERE account_id = $1 AND event = $2 AND locale = ANY($3)`,
      [accountId, event, chain],
    );
    return effectiveOf(event, chain, rows);
  }

  private valuesOf(account: MailAccount, user: Recipient, token?: string, expiresAt?: Date): TemplateValues {
    return {
      user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName },
      account: { name: account.name },
      token,
      expiresAt,
    };
  }

  /**
   * The link, checked against the account's current allow-list: a saved template whose host has
   * since been removed from allowedRedirectHosts falls back to the built-in link.
   */
  private linkFor(account: MailAccount, linkTemplate: string | null, values: TemplateValues): string {
    if (linkTemplate !== null) {
      if (linkTemplateProblems(linkTemplate, this.linkPolicy(account)).length === 0) {
        return renderLink(linkTemplate, values);
      }
      this.logger.warn(`account ${account.id}: its linkTemplate is no longer acceptable; using the built-in link`);
    }
    return renderLink(this.builtInLinkTemplate(), values);
  }

  private render(
    event: EmailEvent,
    account: MailAccount,
    template: EffectiveTemplate,
    values: TemplateValues,
  ): RenderedEmail {
    const reset = event === 'user.reset-password-request';
    const link = reset ? this.linkFor(account, template.linkTemplate, values) : null;
    const cancelLink = reset ? renderLink(cancelLinkTemplate(this.config.publicUrl), values) : null;
    const withLink = { ...values, link, cancelLink };
    return {
      subject: renderTemplate(template.subject, 'subject', withLink),
      html: template.htmlBody === null ? null : renderTemplate(template.htmlBody, 'html', withLink),
      text: template.textBody === null ? null : renderTemplate(template.textBody, 'text', withLink),
      link,
    };
  }
}

/** The template `chain` gets of the account's saved templates of `event` (any of them; others in the chain are ignored). */
function effectiveOf(event: EmailEvent, chain: readonly string[], saved: readonly SavedTemplate[]): EffectiveTemplate {
  const ranked = saved
    .filter((t) => chain.includes(t.locale))
    .sort((a, b) => chain.indexOf(a.locale) - chain.indexOf(b.locale));
  const first = <K extends 'fromName' | 'replyTo' | 'linkTemplate'>(key: K) =>
    ranked.find((t) => t[key] != null)?.[key] ?? null;
  // Content comes whole from the best template; sender and link fall back field by field, so a
  // translation without a linkTemplate still sends users to the account's portal.
  const content = ranked[0] ?? BUILT_IN_TEMPLATES[event];
  return {
    subject: content.subject,
    htmlBody: content.htmlBody,
    textBody: content.textBody,
    fromName: first('fromName'),
    replyTo: first('replyTo'),
    linkTemplate: event === 'user.reset-password-request' ? first('linkTemplate') : null,
  };
}
