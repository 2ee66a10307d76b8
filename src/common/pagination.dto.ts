import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, type TransformFnParams } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * A query integer written in decimal digits becomes that number; anything else (`0x10`, `1e1`, ` 5`, `+5`, a repeated
 * parameter) stays as it came, for IsInt to refuse: `Number()` would read hex, exponents and padding as integers.
 */
export const toQueryInteger = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;

export class PaginationQueryDto {
  /** Page number, from 1. */
  @IsOptional()
  @Transform(toQueryInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  @ApiPropertyOptional({ type: 'integer' })
  page?: number = 1;

  /** Items per page, 1 to 100. */
  @IsOptional()
  @Transform(toQueryInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  @ApiPropertyOptional({ type: 'integer' })
  limit?: number = 20;
}

export const skipOf = (q: PaginationQueryDto) => ((q.page ?? 1) - 1) * (q.limit ?? 20);
