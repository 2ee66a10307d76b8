import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, type UserRole } from '../../auth/roles.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A `users` row as the entity loads it (the User entity is one), for the modules that show a user. */
export interface UserRecord {
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: UserRole;
  company: string | null;
  locale: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
  passwordChangedAt: Date | null;
}

/** A user as the API shows it: never a password hash or a secret. */
export class UserResponseDto {
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;

  @ApiProperty({ enum: USER_ROLES })
  role: UserRole;

  company: string | null;
  locale: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  passwordChangedAt: string | null;

  static from(u: UserRecord): UserResponseDto {
    return Object.assign(new UserResponseDto(), {
      id: u.id,
      accountId: u.accountId,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      role: u.role,
      company: u.company,
      locale: u.locale,
      metadata: u.metadata,
      createdAt: u.createdAt.toISOString(),
      updatedAt: u.updatedAt.toISOString(),
      lastLoginAt: iso(u.lastLoginAt),
      passwordChangedAt: iso(u.passwordChangedAt),
    });
  }
}
