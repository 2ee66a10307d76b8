import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AliasInput, EmailField } from '../../common/identifier-fields.js';

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

  @IsString()
  @MaxLength(1024)
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241' })
  password: string;
}
