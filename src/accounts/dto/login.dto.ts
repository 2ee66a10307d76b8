import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AliasInput, EmailField } from '../../common/identifier-fields.js';
import { MAX_PASSWORD_INPUT_LENGTH } from '../../password-reset/password-policy.service.js';

export class LoginDto {
  /** Trimmed and lower-cased before it is matched. */
  @AliasInput()
  @IsString()
  @MaxLength(40)
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  /** Matched by its canonical form (case, Unicode and IDNA spelling of the domain folded). */
  @EmailField({ syntax: false })
  @ApiProperty({ example: 'owner@acme.example' })
  email: string;

  /** Longer than 1,024 UTF-16 code units: 401, counted as a failed login, without being hashed. */
  @IsString()
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241', maxLength: MAX_PASSWORD_INPUT_LENGTH })
  password: string;
}
