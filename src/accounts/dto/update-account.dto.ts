import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, Max, Min, ValidateBy } from 'class-validator';
import { NameField } from '../../common/identifier-fields.js';
import { IsOmittable } from '../../common/is-omittable.decorator.js';
import { REDIRECT_HOST_PATTERN, redirectHostProblem } from '../redirect-hosts.js';

/** Any of the account's settings (an admin session only), and its name (`account:write`). None of them can be cleared: `null` is a 400. */
export class UpdateAccountDto {
  @IsOmittable()
  @NameField()
  @ApiPropertyOptional({ example: 'Acme Widgets' })
  name?: string;

  /** Default reset-token lifetime in seconds (60 … resetTokenMaxTtlSeconds; admin session only). */
  @IsOmittable()
  @IsInt()
  @Min(60)
  @Max(604800)
  @ApiPropertyOptional({ type: 'integer', example: 3600 })
  resetTokenTtlSeconds?: number;

  /** Longest reset-token lifetime a caller may ask for, in seconds (60 … 604800; admin session only). */
  @IsOmittable()
  @IsInt()
  @Min(60)
  @Max(604800)
  @ApiPropertyOptional({ type: 'integer', example: 86400 })
  resetTokenMaxTtlSeconds?: number;

  /**
   * Hosts that reset links may point to (admin session only): lower-case A-label host names,
   * optionally `host:port`, each once; `localhost` is allowed for development. An entry written otherwise
   * (`Portal.example`, `bücher.example`, `portal.example:443`) is 400, naming the form to write.
   */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @ValidateBy(
    {
      name: 'isRedirectHost',
      validator: {
        validate: (entry: unknown) => redirectHostProblem(entry) === null,
        defaultMessage: (args) => {
          const entries: unknown[] = Array.isArray(args?.value) ? args.value : [args?.value];
          const bad = entries.find((entry) => redirectHostProblem(entry) !== null);
          return `each value in allowedRedirectHosts ${redirectHostProblem(bad) ?? 'must be a host name'}`;
        },
      },
    },
    { each: true },
  )
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: REDIRECT_HOST_PATTERN, maxLength: 253 },
    uniqueItems: true,
    example: [],
  })
  allowedRedirectHosts?: string[];

  /** Minimum password length, 8–64 (admin session only). */
  @IsOmittable()
  @IsInt()
  @Min(8)
  @Max(64)
  @ApiPropertyOptional({ type: 'integer', example: 15 })
  minPasswordLength?: number;

  /** Email users when their password changes (admin session only). */
  @IsOmittable()
  @IsBoolean()
  @ApiPropertyOptional({ example: true })
  notifyOnPasswordChange?: boolean;
}
