import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service.js';
import { MailService } from '../mail/mail.service.js';
import { UsersService } from '../users/users.service.js';
import type { Webhook } from './webhook.entity.js';

type NoticeKind = 'created' | 'urlChanged' | 'disabled';

const SUBJECTS: Record<NoticeKind, string> = {
  created: 'A webhook endpoint was added to your account',
  urlChanged: "A webhook endpoint's URL was changed",
  disabled: 'A webhook endpoint was disabled after failing for 3 days',
};

const LEADS: Record<NoticeKind, string> = {
  created: "A new webhook endpoint now receives your account's events:",
  urlChanged: "A webhook endpoint of your account now sends the account's events to a new URL:",
  disabled:
    'Every delivery to this webhook endpoint failed for 3 days, so it was disabled. It receives nothing until an admin enables it again:',
};

/**
 * Tells every admin of the account, by email, what happened to a webhook endpoint: events can leave the
 * account through it, so a new endpoint, a new URL and an endpoint given up on are never silent.
 * Queued in the caller's transaction.
 */
@Injectable()
export class WebhookNotices {
  constructor(
    private readonly accounts: AccountsService,
    private readonly users: UsersService,
    private readonly mail: MailService,
  ) {}

  async send(
    kind: NoticeKind,
    webhook: Pick<Webhook, 'id' | 'accountId' | 'url'>,
    manager: EntityManager,
  ): Promise<void> {
    const account = await this.accounts.findById(webhook.accountId, manager);
    if (!account) return;
    const admins = await this.users.adminEmails(account.id, manager);
    const text = [
      LEADS[kind],
      '',
      `  ${webhook.url}`,
      `  (endpoint ${webhook.id}, account ${account.name})`,
      '',
      'If this was not expected, review the endpoints with GET /v3/webhooks and delete any you do not know.',
    ].join('\n');
    await this.mail.enqueueNotice(
      account,
      admins,
      { event: `webhook.${kind}`, subject: SUBJECTS[kind], text },
      manager,
    );
  }
}
