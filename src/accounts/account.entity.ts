import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

@Entity('accounts')
@Unique('uq_accounts_alias', ['alias'])
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  alias: string;

  @Column('int', { name: 'reset_token_ttl_seconds', default: 3600 })
  resetTokenTtlSeconds: number;

  @Column('int', { name: 'reset_token_max_ttl_seconds', default: 86400 })
  resetTokenMaxTtlSeconds: number;

  @Column('text', { name: 'allowed_redirect_hosts', array: true, default: () => "'{}'" })
  allowedRedirectHosts: string[];

  @Column('int', { name: 'min_password_length', default: 15 })
  minPasswordLength: number;

  @Column('boolean', { name: 'notify_on_password_change', default: true })
  notifyOnPasswordChange: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
