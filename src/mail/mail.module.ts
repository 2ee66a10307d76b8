import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { EmailTemplate } from './email-template.entity.js';
import { EmailTemplatesController } from './email-templates.controller.js';
import { EmailTemplatesService } from './email-templates.service.js';
import { mailTransportProvider } from './mail-transport.js';
import { MailService } from './mail.service.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxService } from './outbox.service.js';

/** Account-branded emails: templates, rendering, the outbox and its worker, and the transports. */
// Global: users and password-reset send mail and queue outbox work in their own transactions.
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EmailTemplate, OutboxMessage]), AccountsModule],
  controllers: [EmailTemplatesController],
  providers: [MailService, OutboxService, EmailTemplatesService, mailTransportProvider],
  exports: [MailService, OutboxService],
})
export class MailModule {}
