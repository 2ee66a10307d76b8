import { ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, ValidateIf } from 'class-validator';
import { CreatePersonalAccessTokenDto } from './create-personal-access-token.dto.js';

export class UpdatePersonalAccessTokenDto extends PartialType(
  PickType(CreatePersonalAccessTokenDto, ['name'] as const),
  {
    skipNullProperties: false,
  },
) {
  /** `true` revokes the token and every token it made. Revocation is final: `false` on a revoked token is a 400. */
  @ValidateIf((_: object, value: unknown) => value !== undefined)
  @IsBoolean()
  @ApiPropertyOptional({ example: true })
  revoked?: boolean;
}
