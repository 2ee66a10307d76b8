import { ApiProperty } from '@nestjs/swagger';
import { AliasInput, EmailField } from '../../common/identifier-fields.js';

export class ResetPasswordRequestDto {
  /** Trimmed and lower-cased before it is matched. */
  @AliasInput({ min: 1 })
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  /**
   * Matched by its canonical form; the email goes to the address stored for the user, never this text. Text that is
   * no address (no user can have it) is a malformed body: 400, known user or not.
   */
  @EmailField({ syntax: true })
  @ApiProperty({ example: 'ada@example.com' })
  email: string;
}
