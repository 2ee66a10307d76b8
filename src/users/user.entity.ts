import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { UserRole } from '../auth/roles.js';

@Entity('users')
// created_at DESC in the migration: @Index has no per-column order, and the builder does not compare it.
@Index('ix_users_account_created', ['accountId', 'createdAt', 'id'])
@Index('ix_users_account_role', ['accountId', 'role'])
@Check('ck_users_role', `role IN ('admin', 'user')`)
@Index('uq_users_account_email_canonical', ['accountId', 'emailCanonical'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'users_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  /** As given, ASCII-trimmed and NFC-normalised; mail goes here. */
  @Column('text')
  email: string;

  /**
   * canonicalEmail(email), written with it: the one form uniqueness, every lookup and every rate
   * limit compare (never the database's lower(), which disagrees with JavaScript on `İ`).
   */
  @Column('text', { name: 'email_canonical' })
  emailCanonical: string;

  @Column('text', { name: 'first_name' })
  firstName: string;

  @Column('text', { name: 'last_name' })
  lastName: string;

  @Column('text')
  role: UserRole;

  @Column('text', { nullable: true })
  company: string | null;

  @Column('text', { nullable: true })
  locale: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  metadata: Record<string, unknown>;

  /** argon2id PHC string; selected only where a password is checked. */
  @Column('text', { name: 'password_hash', nullable: true, select: false })
  passwordHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'last_login_at', nullable: true })
  lastLoginAt: Date | null;

  @Column('timestamptz', { name: 'password_changed_at', nullable: true })
  passwordChangedAt: Date | null;
}
