import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { Account } from '../accounts/account.entity.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { Errors } from '../common/api-error.js';
import { Clock } from '../common/clock.js';
import type { RequestContext } from '../common/request-context.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import { BUILT_IN_TEMPLATES } from './default-templates.js';
import type { EmailPreviewResponseDto } from './dto/email-preview-response.dto.js';
import { EmailTemplateResponseDto } from './dto/email-template-response.dto.js';
import type { PreviewEmailTemplateDto } from './dto/preview-email-template.dto.js';
import type { PutEmailTemplateDto } from './dto/put-email-template.dto.js';
import { EMAIL_EVENTS, type EmailEvent, EmailTemplate } from './email-template.entity.js';
import { canonicalLocale } from '../common/locale.js';
import { lockForTransaction } from '../common/transaction-lock.js';
import { unknownFieldDetails } from '../common/validation.pipe.js';
import { MailService } from './mail.service.js';

const RESET_EVENT: EmailEvent = 'user.reset-password-request';

/** The templates API: an account's saved templates, on top of the built-in ones. */
@Injectable()
export class EmailTemplatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(EmailTemplate) private readonly templates: Repository<EmailTemplate>,
    private readonly mail: MailService,
    private readonly events: EventLogsService,
    private readonly clock: Clock,
    private readonly accounts: AccountsService,
  ) {}

  /** The account's saved templates, then the built-in one of each event. */
  async list(principal: Principal, accountId: string): Promise<EmailTemplateResponseDto[]> {
    await this.accountOf(principal, accountId);
    const saved = await this.templates.find({
      where: { accountId: principal.accountId },
      order: { event: 'ASC', locale: 'ASC' },
    });
    return EMAIL_EVENTS.flatMap((event) => [
      ...saved.filter((t) => t.event === event).map((t) => EmailTemplateResponseDto.from(t)),
      EmailTemplateResponseDto.builtIn(
        event,
        BUILT_IN_TEMPLATES[event],
        event === RESET_EVENT ? this.mail.builtInLinkTemplate() : null,
      ),
    ]);
  }

  /** Creates or replaces the template of (event, locale); the guard let only an admin session in. */
  async put(
    principal: Principal,
    accountId: string,
    rawEvent: string,
    dto: PutEmailTemplateDto,
    ctx: RequestContext,
  ): Promise<EmailTemplateResponseDto> {
    const account = await this.accountOf(principal, accountId);
    const event = eventOf(rawEvent);
    const locale = localeOf(dto.locale);
    const linkTemplate = dto.linkTemplate ?? null;
    return this.dataSource.transaction(async (m) => {
      // PUTs of one (event, locale) run one after another, so that of concurrent ones creating it the first inserts
      // and the others replace: each answers 200, the last one wins.
      await lockForTransaction(m, `email-template:${account.id}:${event}:${locale}`);
      const repo = m.getRepository(EmailTemplate);
      const existing = await repo.findOne({
        where: { accountId: account.id, event, locale },
        lock: { mode: 'pessimistic_write' },
      });
      const linkChanged = (existing?.linkTemplate ?? null) !== linkTemplate;
      this.mail.assertValid(account, event, dto);
      const now = this.clock.now();
      const fields = {
        subject: dto.subject,
        htmlBody: dto.htmlBody ?? null,
        textBody: dto.textBody ?? null,
        fromName: dto.fromName ?? null,
        replyTo: dto.replyTo ?? null,
        linkTemplate,
        updatedAt: now,
      };
      let saved: EmailTemplate;
      if (existing) {
        await repo.update({ id: existing.id }, fields);
        saved = { ...existing, ...fields };
      } else {
        saved = repo.create({ accountId: account.id, event, locale, ...fields, createdAt: now });
        await repo.insert(saved);
      }
      await this.events.record(
        {
          accountId: account.id,
          action: 'emailTemplate.updated',
          actor: actorOf(principal),
          ctx,
          data: { event, locale: locale || null, linkTemplateChanged: linkChanged },
        },
        m,
      );
      return EmailTemplateResponseDto.from(saved);
    });
  }

  /**
   * Deletes the template of (event, locale), so the next one in the fallback order applies; the
   * guard let only an admin session in.
   */
  async remove(
    principal: Principal,
    accountId: string,
    rawEvent: string,
    query: Record<string, unknown>,
    ctx: RequestContext,
  ): Promise<void> {
    const account = await this.accountOf(principal, accountId);
    const event = eventOf(rawEvent);
    const locale = localeOf(localeParamOf(query));
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(EmailTemplate);
      const existing = await repo.findOne({
        where: { accountId: account.id, event, locale },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) throw Errors.notFound('Email template');
      await repo.delete({ id: existing.id });
      await this.events.record(
        {
          accountId: account.id,
          action: 'emailTemplate.updated',
          actor: actorOf(principal),
          ctx,
          data: { event, locale: locale || null, deleted: true, linkTemplateChanged: existing.linkTemplate !== null },
        },
        m,
      );
    });
  }

  /** Renders the template `dto.locale` would get, with the body's fields over it, for a made-up user. */
  async preview(
    principal: Principal,
    accountId: string,
    rawEvent: string,
    dto: PreviewEmailTemplateDto,
  ): Promise<EmailPreviewResponseDto> {
    const account = await this.accountOf(principal, accountId);
    const event = eventOf(rawEvent);
    return this.mail.preview(account, event, localeOf(dto.locale), dto);
  }

  /** The caller's own account: any other id does not exist for the caller (404). */
  private async accountOf(principal: Principal, accountId: string): Promise<Account> {
    const account = accountId === principal.accountId ? await this.accounts.findById(accountId) : null;
    if (!account) throw Errors.notFound('Account');
    return account;
  }
}

/** An unknown event is an unknown path segment, hence 404 NOT_FOUND rather than 400. */
function eventOf(raw: string): EmailEvent {
  const event = EMAIL_EVENTS.find((e) => e === raw);
  if (!event) throw Errors.notFound('Email template event');
  return event;
}

/** A template's locale in its canonical form; '' when none is given. */
/**
 * The one query parameter of a template's DELETE. Any other is refused: a mistyped `?lcoale=de` would otherwise
 * delete the account's template without a locale.
 */
function localeParamOf(query: Record<string, unknown>): unknown {
  const unknown = Object.keys(query).filter((key) => key !== 'locale');
  if (unknown.length > 0) throw Errors.validation(unknownFieldDetails(unknown));
  return query.locale;
}

function localeOf(raw: unknown): string {
  if (raw === undefined) return '';
  // A repeated `?locale=` is an array: which template was meant is not for the service to guess.
  if (typeof raw !== 'string') throw Errors.invalidField('locale', 'locale must be given once');
  const locale = canonicalLocale(raw);
  if (!locale) throw Errors.invalidField('locale', 'locale must be a language tag such as de or pt-BR');
  return locale;
}
