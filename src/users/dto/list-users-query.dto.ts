import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EmailField } from '../../common/identifier-fields.js';
import { PaginationQueryDto } from '../../common/pagination.dto.js';
import { USER_ROLES, type UserRole } from '../../auth/roles.js';

const USER_SORTS = ['createdAt', '-createdAt', 'email', '-email', 'lastName', '-lastName'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export class ListUsersQueryDto extends PaginationQueryDto {
  @IsOptional()
  @IsIn(USER_ROLES)
  @ApiPropertyOptional({ enum: USER_ROLES })
  role?: UserRole;

  /** Exact match by canonical form: ignoring case, Unicode normalisation and IDNA spelling of the domain. */
  @IsOptional()
  @EmailField({ syntax: false })
  email?: string;

  /** Substring of the email, first or last name, or company, ignoring case. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  /** A `-` prefix sorts descending; ties are broken by id. */
  @IsOptional()
  @IsIn(USER_SORTS)
  @ApiPropertyOptional({ enum: USER_SORTS, default: '-createdAt' })
  sort?: UserSort = '-createdAt';
}
