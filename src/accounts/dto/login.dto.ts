import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MAX_PASSWORD_INPUT_LENGTH } from '../../password-reset/password-policy.service.js';

export class LoginDto {
  @IsString()
  @MaxLength(40)
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  @IsString()
  @MaxLength(254)
  @ApiProperty({ example: 'owner@acme.example' })
  email: string;

  /** Longer than 1,024 UTF-16 code units: 401, counted as a failed login, without being hashed. */
  @IsString()
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241', maxLength: MAX_PASSWORD_INPUT_LENGTH })
  password: string;
}
