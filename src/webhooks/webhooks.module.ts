import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { UsersModule } from '../users/users.module.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookNotices } from './webhook-notices.js';
import { Webhook } from './webhook.entity.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** The account's webhook endpoints and their delivery attempts (queued by the event log's trigger). */
@Module({
  imports: [TypeOrmModule.forFeature([Webhook, WebhookDelivery]), AccountsModule, UsersModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookNotices],
  exports: [WebhooksService, WebhookNotices],
})
export class WebhooksModule {}
