import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsFQDN, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NameField } from '../../common/identifier-fields.js';

const lowerAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

/** Any of the account's settings, and its name. */
export class UpdateAccountDto {
  @IsOptional()
  @NameField()
  name?: string;

  /** Default reset-token lifetime in seconds (60 … resetTokenMaxTtlSeconds). */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(604800)
  resetTokenTtlSeconds?: number;

  /** Longest reset-token lifetime a caller may ask for, in seconds (60 … 604800). */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(604800)
  resetTokenMaxTtlSeconds?: number;

  /** Hosts that reset links may point to (admin session only). `localhost` is allowed for development. */
  @IsOptional()
  @Transform(lowerAll)
  @IsArray()
  @ArrayMaxSize(50)
  @IsFQDN({ require_tld: false, allow_underscores: false }, { each: true })
  allowedRedirectHosts?: string[];

  /** Minimum password length, 8–64 (admin session only). */
  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(64)
  minPasswordLength?: number;

  /** Email users when their password changes (admin session only). */
  @IsOptional()
  @IsBoolean()
  notifyOnPasswordChange?: boolean;
}
