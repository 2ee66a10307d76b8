import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A personal access token: acts for the admin who made it, narrowed to its scopes. */
@Entity('personal_access_tokens')
export class PersonalAccessToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'account_id' })
  accountId: string;

  /** The admin whose authority the token carries (directly, or through its parent PAT). */
  @Column('uuid', { name: 'user_id' })
  userId: string;

  /** Set when the token was made by another PAT: it dies with that parent. */
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
