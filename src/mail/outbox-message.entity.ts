import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Background work, claimed with FOR UPDATE SKIP LOCKED so any number of instances can share it.
 * kind `email`: a rendered message to deliver, sealed with SECRETS_KEY but its event and recipient
 * (outbox-seal.ts). kind `reset-request`: a reset requested by email address, resolved to a user (or
 * to nothing) off the request path.
 */
export type OutboxKind = 'email' | 'reset-request';
export type OutboxStatus = 'pending' | 'done' | 'failed';

@Entity('outbox')
@Index('ix_outbox_pending', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('ix_outbox_processed', ['processedAt'], { where: 'processed_at IS NOT NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'outbox_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id', nullable: true })
  accountId: string | null;

  @Column('text')
  kind: OutboxKind;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('text', { default: 'pending' })
  status: OutboxStatus;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt: Date | null;
}
