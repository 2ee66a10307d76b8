import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { AliasInput, EmailField } from '../../common/identifier-fields.js';

export class ResetPasswordRequestDto {
  /** Trimmed and lower-cased before it is matched. */
  @AliasInput()
  @IsString()
  @Length(1, 40)
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  /** Matched by its canonical form; the email goes to the address stored for the user, never this text. */
  @EmailField({ syntax: false })
  @ApiProperty({ example: 'ada@example.com' })
  email: string;
}
