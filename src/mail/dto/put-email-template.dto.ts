import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { EmailField, NameField } from '../../common/identifier-fields.js';
import { NO_CONTROL_CHARACTER_PATTERN } from '../../common/identifiers.js';
import { IsOmittable } from '../../common/is-omittable.decorator.js';
import { MAX_LINK_TEMPLATE_LENGTH } from '../link-template.js';
import { LOCALE_PATTERN, MAX_LOCALE_LENGTH } from '../../common/locale.js';

const MAX_SUBJECT_LENGTH = 200;
const SUBJECT_LINE = new RegExp(NO_CONTROL_CHARACTER_PATTERN);
/** 100 KiB per body. */
const MAX_BODY_LENGTH = 100 * 1024;

export class PutEmailTemplateDto {
  /** A BCP 47 language tag (`de`, `pt-BR`); omitted: the account's template for every locale without its own. */
  @IsOmittable()
  @IsString()
  @MaxLength(MAX_LOCALE_LENGTH)
  @Matches(LOCALE_PATTERN, { message: 'locale must be a language tag such as de or pt-BR' })
  @ApiPropertyOptional({ pattern: LOCALE_PATTERN.source, example: 'de' })
  locale?: string;

  /**
   * Mustache template of one line (no control character or line separator: CR, LF, tab and U+2028 are 400); placeholders such as
   * {{account.name}} are rendered unescaped.
   */
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_SUBJECT_LENGTH)
  @Matches(SUBJECT_LINE, { message: 'subject must be one line, without control characters or line separators' })
  @ApiProperty({ example: 'Your {{account.name}} password', pattern: NO_CONTROL_CHARACTER_PATTERN })
  subject: string;

  /** Mustache template of the HTML part; placeholder values are HTML-escaped. htmlBody, textBody or both. */
  @ValidateIf((o: PutEmailTemplateDto) => o.htmlBody != null || o.textBody == null)
  @IsString({ message: 'htmlBody or textBody is required' })
  @MinLength(1)
  @MaxLength(MAX_BODY_LENGTH)
  @ApiPropertyOptional({ nullable: true, example: '<p>Hello {{user.firstName}},</p><p>{{account.name}}</p>' })
  htmlBody?: string;

  /** Mustache template of the plain-text part. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_BODY_LENGTH)
  @ApiPropertyOptional({ nullable: true, example: 'Hello {{user.firstName}},\n\n{{account.name}}' })
  textBody?: string;

  /** Display name of the sender; the address is the service's MAIL_FROM. Default: the account's name. */
  @IsOptional()
  @NameField({ trimmed: false })
  @ApiPropertyOptional({ nullable: true, example: 'Acme Support' })
  fromName?: string;

  @IsOptional()
  @EmailField({ syntax: true })
  @ApiPropertyOptional({ nullable: true, example: 'support@acme.example' })
  replyTo?: string;

  /**
   * Only for user.reset-password-request, and only from an admin session: an https URL on one of the
   * account's allowedRedirectHosts, with placeholders (percent-encoded) only in its path, query and fragment.
   */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LINK_TEMPLATE_LENGTH)
  // The example keeps the built-in link (null): a URL must be on the account's allowedRedirectHosts first.
  @ApiPropertyOptional({
    nullable: true,
    example: null,
    description:
      "Only for user.reset-password-request, and only from an admin session: an https URL on one of the account's " +
      'allowedRedirectHosts, with placeholders (percent-encoded) only in its path, query and fragment, such as ' +
      '`https://portal.acme.example/reset?user={{user.id}}#token={{token}}`. Null: the built-in link.',
  })
  linkTemplate?: string;
}
