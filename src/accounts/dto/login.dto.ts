import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { AliasInput, EmailField } from '../../common/identifier-fields.js';
import { CredentialText } from '../../common/validation.pipe.js';

export class LoginDto {
  /** Trimmed and lower-cased before it is matched. */
  @CredentialText()
  @AliasInput({ min: 0 })
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  /** Matched by its canonical form (case, Unicode and IDNA spelling of the domain folded). */
  @CredentialText()
  @EmailField({ syntax: false })
  @ApiProperty({ example: 'owner@acme.example' })
  email: string;

  /**
   * Longer than 1,024 UTF-16 code units: 401 INVALID_CREDENTIALS, counted as a failed login, without
   * being hashed (no length bound here: a too-long password is a wrong password, not a malformed body).
   */
  @CredentialText()
  @IsString()
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241' })
  password: string;
}
