import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookAttemptsService } from './webhook-attempts.service.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { Webhook } from './webhook.entity.js';
import { WebhooksModule } from './webhooks.module.js';

/** Delivers webhook attempts: the worker, its statements, and the endpoint given up on after 3 days. */
@Module({
  imports: [TypeOrmModule.forFeature([Webhook, WebhookDelivery]), WebhooksModule],
  providers: [WebhookDeliveryWorker, WebhookAttemptsService],
  exports: [WebhookDeliveryWorker, WebhookAttemptsService],
})
export class WebhookDeliveryModule {}
