import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorType } from './actor.js';

@Entity('event_logs')
// created_at DESC in the migration: @Index has no per-column order, and the builder does not compare it.
@Index('ix_event_logs_account_created', ['accountId', 'createdAt'])
@Index('ix_event_logs_account_action', ['accountId', 'action', 'createdAt'])
@Index('ix_event_logs_account_target', ['accountId', 'targetUserId'])
@Index('ix_event_logs_account_actor', ['accountId', 'actorId'])
// The retention cleanup's (MaintenanceService): events by age, whatever their account.
@Index('ix_event_logs_created', ['createdAt'])
export class EventLog {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'event_logs_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @Column('text')
  action: string;

  @Column('text', { name: 'actor_type' })
  actorType: ActorType;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('uuid', { name: 'target_user_id', nullable: true })
  targetUserId: string | null;

  @Column('text', { nullable: true })
  ip: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
