import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One attempt, made or scheduled, to deliver one event to one endpoint. Retries of an event are new
 * rows with the same `eventId` (the `webhook-id` header) and the next `attempt` number.
 */
@Entity('webhook_deliveries')
@Check('ck_webhook_deliveries_status', `status IN ('pending', 'succeeded', 'failed')`)
@Index('ix_webhook_deliveries_due', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('ix_webhook_deliveries_webhook', ['webhookId', 'createdAt'])
@Index('ix_webhook_deliveries_created', ['createdAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'webhook_deliveries_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @ForeignKey('webhooks', { name: 'webhook_deliveries_webhook_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'webhook_id' })
  webhookId: string;

  /** The event log entry delivered: the `webhook-id` header, the same on every attempt. */
  @Column('uuid', { name: 'event_id' })
  eventId: string;

  @Column('text')
  type: string;

  @Column('int', { default: 1 })
  attempt: number;

  @Column('text', { default: 'pending' })
  status: WebhookDeliveryStatus;

  @Column('int', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('int', { name: 'duration_ms', nullable: true })
  durationMs: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'attempted_at', nullable: true })
  attemptedAt: Date | null;

  /** When a pending attempt is due; null once it was made. */
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  /** A worker's lease on a claimed attempt: no other worker claims it before this instant. */
  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;
}
