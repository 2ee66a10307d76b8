import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

import type { ActorType } from '../event-logs/actor.js';

export type ResetTokenOrigin = 'api' | 'email';

/** A single-use password reset token (`lk_rst_`), stored as its SHA-256. */
@Entity('reset_tokens')
@Unique('uq_reset_tokens_token_hash', ['tokenHash'])
@Check('ck_reset_tokens_origin', `origin IN ('api', 'email')`)
/** At most one live token per user, whatever its origin. */
@Index('uq_reset_tokens_live_user', ['userId'], { unique: true, where: 'used_at IS NULL AND revoked_at IS NULL' })
@Index('ix_reset_tokens_expires', ['expiresAt'])
@Index('ix_reset_tokens_used', ['usedAt'], { where: 'used_at IS NOT NULL' })
@Index('ix_reset_tokens_revoked', ['revokedAt'], { where: 'revoked_at IS NOT NULL' })
export class ResetToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'reset_tokens_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @ForeignKey('users', { name: 'reset_tokens_user_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('bytea', { name: 'token_hash', select: false })
  tokenHash: Buffer;

  @Column('text')
  origin: ResetTokenOrigin;

  @Column('text', { name: 'created_by_type' })
  createdByType: ActorType;

  @Column('uuid', { name: 'created_by_id', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
