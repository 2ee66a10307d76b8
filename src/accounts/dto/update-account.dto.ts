import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsFQDN, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/is-omittable.decorator.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

/** Any of the account's settings, and its name. None of them can be cleared: `null` is a 400. */
export class UpdateAccountDto {
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  /** Default reset-token lifetime in seconds (60 … resetTokenMaxTtlSeconds). */
  @IsOmittable()
  @IsInt()
  @Min(60)
  @Max(604800)
  resetTokenTtlSeconds?: number;

  /** Longest reset-token lifetime a caller may ask for, in seconds (60 … 604800). */
  @IsOmittable()
  @IsInt()
  @Min(60)
  @Max(604800)
  resetTokenMaxTtlSeconds?: number;

  /** Hosts that reset links may point to (admin session only). `localhost` is allowed for development. */
  @IsOmittable()
  @Transform(lowerAll)
  @IsArray()
  @ArrayMaxSize(50)
  @IsFQDN({ require_tld: false, allow_underscores: false }, { each: true })
  allowedRedirectHosts?: string[];

  /** Minimum password length, 8–64 (admin session only). */
  @IsOmittable()
  @IsInt()
  @Min(8)
  @Max(64)
  minPasswordLength?: number;

  /** Email users when their password changes (admin session only). */
  @IsOmittable()
  @IsBoolean()
  notifyOnPasswordChange?: boolean;
}
