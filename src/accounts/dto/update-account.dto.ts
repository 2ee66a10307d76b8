import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsFQDN, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NameField } from '../../common/identifier-fields.js';

const lowerAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

/** Any of the account's settings (an admin session only), and its name (`account:write`). */
export class UpdateAccountDto {
  @IsOptional()
  @NameField()
  name?: string;

  /** Default reset-token lifetime in seconds (60 … resetTokenMaxTtlSeconds; admin session only). */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(604800)
  @ApiPropertyOptional({ type: 'integer', example: 3600 })
  resetTokenTtlSeconds?: number;

  /** Longest reset-token lifetime a caller may ask for, in seconds (60 … 604800; admin session only). */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(604800)
  @ApiPropertyOptional({ type: 'integer', example: 604800 })
  resetTokenMaxTtlSeconds?: number;

  /** Hosts that reset links may point to (admin session only). `localhost` is allowed for development. */
  @IsOptional()
  @Transform(lowerAll)
  @IsArray()
  @ArrayMaxSize(50)
  @IsFQDN({ require_tld: false, allow_underscores: false }, { each: true })
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'hostname', maxLength: 253 },
    example: ['portal.example.com'],
  })
  allowedRedirectHosts?: string[];

  /** Minimum password length, 8–64 (admin session only). */
  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(64)
  @ApiPropertyOptional({ type: 'integer', example: 12 })
  minPasswordLength?: number;

  /** Email users when their password changes (admin session only). */
  @IsOptional()
  @IsBoolean()
  notifyOnPasswordChange?: boolean;
}
