import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { EventLogsModule } from '../event-logs/event-logs.module.js';
import { ResetTokensModule } from '../reset-tokens/reset-tokens.module.js';
import { WebhookDeliveryModule } from '../webhooks/webhook-delivery.module.js';
import { MaintenanceService } from './maintenance.service.js';

/** Periodic housekeeping: each owner deletes its dead rows (reset tokens, sessions, outbox, webhook attempts, events) in bounded batches. */
@Module({
  imports: [ResetTokensModule, AccessTokensModule, WebhookDeliveryModule, EventLogsModule],
  providers: [MaintenanceService],
})
export class MaintenanceModule {}
