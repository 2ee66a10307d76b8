import { ApiProperty } from '@nestjs/swagger';
import type { BuiltInTemplate } from '../default-templates.js';
import { EMAIL_EVENTS, type EmailEvent, type EmailTemplate } from '../email-template.entity.js';

export class EmailTemplateResponseDto {
  @ApiProperty({ enum: EMAIL_EVENTS })
  event: EmailEvent;

  /** null: the account's template for every locale without its own (and the built-in ones). */
  locale: string | null;

  subject: string;
  htmlBody: string | null;
  textBody: string | null;
  fromName: string | null;
  replyTo: string | null;
  linkTemplate: string | null;

  /** true for a built-in template, which applies when the account has none of its own. */
  isDefault: boolean;

  createdAt: string | null;
  updatedAt: string | null;

  static from(t: EmailTemplate): EmailTemplateResponseDto {
    return Object.assign(new EmailTemplateResponseDto(), {
      event: t.event,
      locale: t.locale || null,
      subject: t.subject,
      htmlBody: t.htmlBody,
      textBody: t.textBody,
      fromName: t.fromName,
      replyTo: t.replyTo,
      linkTemplate: t.linkTemplate,
      isDefault: false,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    });
  }

  static builtIn(event: EmailEvent, t: BuiltInTemplate, linkTemplate: string | null): EmailTemplateResponseDto {
    return Object.assign(new EmailTemplateResponseDto(), {
      event,
      locale: null,
      subject: t.subject,
      htmlBody: t.htmlBody,
      textBody: t.textBody,
      fromName: null,
      replyTo: null,
      linkTemplate,
      isDefault: true,
      createdAt: null,
      updatedAt: null,
    });
  }
}
