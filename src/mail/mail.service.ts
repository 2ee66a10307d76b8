import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Account } from '../accounts/account.entity.js';
import type { User } from '../users/user.entity.js';
import type { EmailEvent } from './email-template.entity.js';

export interface TemplatedEmail {
  event: EmailEvent;
  account: Account;
  user: User;
  /** The reset token, for `user.reset-password-request`. */
  token?: string;
  expiresAt?: Date;
}

/**
 * The account-branded emails. INTERFACE STUB: the mail module's implementation replaces the bodies.
 */
@Injectable()
export class MailService {
  /** The account's reset link for this user (linkTemplate for the user's locale, else the built-in one). */
  async resetLink(_account: Account, _user: User, _token: string, _manager?: EntityManager): Promise<string> {
    throw new Error('not implemented');
  }

  /** Renders the account's template for the user's locale and queues it in the outbox, in `manager`'s transaction. */
  async enqueue(_email: TemplatedEmail, _manager: EntityManager): Promise<void> {
    throw new Error('not implemented');
  }
}
