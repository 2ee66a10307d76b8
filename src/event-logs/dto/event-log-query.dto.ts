import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsDateTime, toDateTime } from '../../common/date-time.js';
import { PaginationQueryDto } from '../../common/pagination.dto.js';

export class EventLogQueryDto extends PaginationQueryDto {
  /** Exact action name, e.g. `user.created`. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @ApiPropertyOptional({ example: 'personalAccessToken.created' })
  action?: string;

  /** Events whose actor is this user (by session) or whose target is this user. */
  @IsOptional()
  @IsUUID()
  userId?: string;

  /** Events at or after this instant (RFC 3339, with an offset). */
  @IsOptional()
  @Transform(toDateTime)
  @IsDateTime()
  @ApiPropertyOptional({ format: 'date-time' })
  from?: string;

  /** Events at or before this instant (RFC 3339, with an offset); not before `from`. */
  @IsOptional()
  @Transform(toDateTime)
  @IsDateTime()
  @ApiPropertyOptional({ format: 'date-time' })
  to?: string;
}
