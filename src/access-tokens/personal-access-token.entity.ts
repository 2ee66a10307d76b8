import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A personal access token: acts for the admin who made it, narrowed to its scopes. */
@Entity('personal_access_tokens')
@Unique('uq_pats_token_hash', ['tokenHash'])
// created_at DESC in the migration: @Index has no per-column order, and the builder does not compare it.
@Index('ix_pats_account_created', ['accountId', 'createdAt'])
@Index('ix_pats_user', ['userId'])
@Index('ix_pats_parent', ['parentTokenId'])
export class PersonalAccessToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'personal_access_tokens_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  /** The admin whose authority the token carries (directly, or through its parent PAT). */
  @ForeignKey('users', { name: 'personal_access_tokens_user_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'user_id' })
  userId: string;

  /** Set when the token was made by another PAT: it dies with that parent. */
  @ForeignKey('personal_access_tokens', { name: 'personal_access_tokens_parent_token_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'parent_token_id', nullable: true })
  parentTokenId: string | null;

  @Column('text')
  name: string;

  @Column('text', { array: true })
  scopes: string[];

  @Column('bytea', { name: 'token_hash', select: false })
  tokenHash: Buffer;

  /** The last four characters of the secret, to tell tokens apart. */
  @Column('text', { name: 'token_hint' })
  tokenHint: string;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
