import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { NameField } from '../../common/identifier-fields.js';
import { MAX_PASSWORD_INPUT_LENGTH } from '../../passwords/password-policy.service.js';
import { CreateUserDto } from '../../users/dto/create-user.dto.js';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';
import { AccountResponseDto } from './account-response.dto.js';
import { CredentialText } from '../../common/validation.pipe.js';

/** The account, and its first admin: a user as POST /v3/users creates one, with a password. */
export class SignUpDto extends PickType(CreateUserDto, ['email', 'firstName', 'lastName'] as const) {
  /** The first admin's email; its rules are a user's. The example is the one login's example signs in with. */
  @ApiProperty({ example: 'owner@acme.example' })
  override email!: string;

  /** The account's display name. */
  @NameField()
  @ApiProperty({ example: 'Acme Widgets' })
  name: string;

  /** Unique lower-case slug, 3–40 of `a-z0-9-`, used at login. */
  @IsString()
  @Matches(/^[a-z0-9-]{3,40}$/, { message: 'alias must be 3 to 40 of a-z, 0-9 and -' })
  @ApiProperty({ example: 'acme-widgets' })
  alias: string;

  /** At least 15 characters; common passwords and your own names are refused. */
  // No validator cap here: the policy answers a long password with WEAK_PASSWORD and its reason.
  @CredentialText()
  @IsString()
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241', maxLength: MAX_PASSWORD_INPUT_LENGTH })
  password: string;
}

export class SessionResponseDto {
  /** A session token, `lk_ses_…`: send it as `Authorization: Bearer …`. Shown once. */
  accessToken: string;
  expiresAt: string;
}

export class SignUpResponseDto extends SessionResponseDto {
  account: AccountResponseDto;
  user: UserResponseDto;
}
