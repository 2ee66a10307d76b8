import { Global, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { EmailTemplatesController } from './email-templates.controller.js';
import { EmailTemplatesService } from './email-templates.service.js';
import { mailTransportProvider } from './mail-transport.js';
import { MailService } from './mail.service.js';
import { OutboxService } from './outbox.service.js';

/** Account-branded emails: templates, rendering, the outbox and its worker, and the transports. */
// Global: users and password-reset send mail and queue outbox work in their own transactions.
@Global()
@Module({
  imports: [AccountsModule],
  controllers: [EmailTemplatesController],
  providers: [MailService, OutboxService, EmailTemplatesService, mailTransportProvider],
  exports: [MailService, OutboxService],
})
export class MailModule {}
