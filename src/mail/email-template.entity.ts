import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

export const EMAIL_EVENTS = ['user.reset-password-request', 'user.password-changed', 'user.email-changed'] as const;
export type EmailEvent = (typeof EMAIL_EVENTS)[number];

/** An account's branded email for one event and (optionally) one locale. */
@Entity('email_templates')
@Unique('uq_email_templates_account_event_locale', ['accountId', 'event', 'locale'])
export class EmailTemplate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('accounts', { name: 'email_templates_account_id_fkey', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @Column('text')
  event: EmailEvent;

  /** Empty string: the account's template for every locale without one of its own. */
  @Column('text', { default: '' })
  locale: string;

  @Column('text')
  subject: string;

  @Column('text', { name: 'html_body', nullable: true })
  htmlBody: string | null;

  @Column('text', { name: 'text_body', nullable: true })
  textBody: string | null;

  @Column('text', { name: 'from_name', nullable: true })
  fromName: string | null;

  @Column('text', { name: 'reply_to', nullable: true })
  replyTo: string | null;

  @Column('text', { name: 'link_template', nullable: true })
  linkTemplate: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
