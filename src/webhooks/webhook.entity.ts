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
import type { ActorType } from '../event-logs/actor.js';

/** Why an endpoint is disabled: it failed for 3 days (`failing`), or an admin turned it off (`manual`). */
export type WebhookDisabledReason = 'failing' | 'manual';

/** An endpoint of the account that receives its events, signed with its own `whsec_` secret. */
@Entity('webhooks')
@Check('ck_webhooks_disabled_reason', `disabled_reason IN ('failing', 'manual')`)
@Index('ix_webhooks_account', ['accountId', 'createdAt'])
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'webhooks_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @Column('text')
  url: string;

  /** Event types, or `*` for all (types added later included). */
  @Column('text', { array: true })
  events: string[];

  @Column('text', { nullable: true })
  description: string | null;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: WebhookDisabledReason | null;

  /** The signing secret, sealed by SecretBox (AES-256-GCM); never selected unless asked for. */
  @Column('text', { name: 'secret_sealed', select: false })
  secretSealed: string;

  /** The secret before the last rotation, which also signs until `previousSecretExpiresAt`. */
  @Column('text', { name: 'previous_secret_sealed', nullable: true, select: false })
  previousSecretSealed: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt: Date | null;

  /** The first failed attempt after the last success; null while the endpoint succeeds. */
  @Column('timestamptz', { name: 'failing_since', nullable: true })
  failingSince: Date | null;

  @Column('text', { name: 'created_by_type' })
  createdByType: ActorType;

  @Column('uuid', { name: 'created_by_id', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
