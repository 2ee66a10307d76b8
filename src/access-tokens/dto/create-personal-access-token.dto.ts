import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateTime, toDateTime } from '../../common/date-time.js';
import { NameField } from '../../common/identifier-fields.js';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { SCOPES, type Scope } from '../../auth/scopes.js';

export class CreatePersonalAccessTokenDto {
  /**
   * A label to tell tokens apart: a name like the others (trimmed, 1–100 characters, no control or format character),
   * since it is shown to admins in lists and the event log.
   */
  @NameField()
  @ApiProperty({ example: 'CI deploys' })
  name: string;

  /** The scopes the token holds; each must be held by the caller. Stored deduplicated and sorted. */
  @IsArray()
  @ArrayMaxSize(50)
  @IsIn(SCOPES, { each: true })
  @ApiProperty({ enum: SCOPES, isArray: true, example: ['user:read'] })
  scopes: Scope[];

  /**
   * When the token stops working, in the future. Omitted or null: never — except for a token made
   * by a token, which then expires with its parent (and may not outlive it).
   */
  @IsOptional()
  @Transform(toDateTime)
  @IsDateTime()
  @ApiPropertyOptional({ format: 'date-time', nullable: true, example: '2030-01-01T00:00:00Z' })
  expiresAt?: string | null;
}
