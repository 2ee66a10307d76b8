import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsString, Length, Max, Min, ValidateBy } from 'class-validator';
import { IsOmittable } from '../../common/is-omittable.decorator.js';
import { redirectHostProblem } from '../../mail/link-template.js';

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

  /**
   * Hosts that reset links may point to (admin session only): lower-case A-label host names,
   * optionally `host:port`; `localhost` is allowed for development.
   */
  @IsOmittable()
  @Transform(lowerAll)
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateBy(
    {
      name: 'isRedirectHost',
      validator: {
        validate: (entry: unknown) => redirectHostProblem(entry) === null,
        defaultMessage: (args) => {
          const bad = (args?.value as unknown[]).find((entry) => redirectHostProblem(entry) !== null);
          return `each value in allowedRedirectHosts ${redirectHostProblem(bad) ?? 'must be a host name'}`;
        },
      },
    },
    { each: true },
  )
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
