import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { EmailField, NameField } from '../../common/identifier-fields.js';
import { USER_ROLES, type UserRole } from '../../auth/roles.js';
import { LOCALE_TAG, toCanonicalUserLocale } from '../../common/locale.js';
import { IsUserMetadata } from './user-fields.js';
import { CredentialText } from '../../common/validation.pipe.js';

const isDefined = (_: object, value: unknown) => value !== undefined;

export class CreateUserDto {
  /** Stored trimmed and NFC-normalised; unique in the account by its canonical form (case, Unicode and IDNA folded). */
  @EmailField({ syntax: true })
  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @NameField()
  @ApiProperty({ example: 'Ada' })
  firstName: string;

  @NameField()
  @ApiProperty({ example: 'Lovelace' })
  lastName: string;

  /** Default `user`. Creating an `admin` needs an admin session. */
  @ValidateIf(isDefined)
  @IsIn(USER_ROLES)
  @ApiPropertyOptional({ enum: USER_ROLES, example: 'user' })
  role?: UserRole;

  /** Optional: a user without a password signs in after a reset. Checked against the account's password policy. */
  @CredentialText()
  @ValidateIf(isDefined)
  @IsString()
  @ApiPropertyOptional({ example: 'amber comet teacup harbor 9153' })
  password?: string;

  /** `null` clears it. */
  @IsOptional()
  @NameField({ min: 0 })
  @ApiPropertyOptional({ example: 'Analytical Engines Ltd', nullable: true })
  company?: string | null;

  /** A language tag such as `de` or `pt-BR`; picks the user's email templates. `null` clears it. */
  @IsOptional()
  @Transform(toCanonicalUserLocale)
  @Matches(LOCALE_TAG, { message: 'locale must be a language tag such as de or pt-BR' })
  @ApiPropertyOptional({
    example: 'en-GB',
    nullable: true,
    // LOCALE_TAG, any case: the tag is stored in its canonical case.
    pattern: '^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?$',
  })
  locale?: string | null;

  /** Free-form JSON object: at most 50 keys and 4 KB. */
  @ValidateIf(isDefined)
  @IsUserMetadata()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { plan: 'pro' } })
  metadata?: Record<string, unknown>;
}
