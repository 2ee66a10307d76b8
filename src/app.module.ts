import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessTokensModule } from './access-tokens/access-tokens.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { CommonModule } from './common/common.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventLogsModule } from './event-logs/event-logs.module.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { MaintenanceModule } from './maintenance/maintenance.module.js';
import { PasswordResetModule } from './password-reset/password-reset.module.js';
import { PasswordsModule } from './passwords/passwords.module.js';
import { ResetPageModule } from './reset-page/reset-page.module.js';
import { UsersModule } from './users/users.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { WebhookDeliveryModule } from './webhooks/webhook-delivery.module.js';

@Module({
  imports: [
    ConfigModule,
    CommonModule,
    DatabaseModule,
    HealthModule,
    EventLogsModule,
    AuthModule.withCredentials(AccessTokensModule),
    AccessTokensModule,
    PasswordsModule,
    AccountsModule,
    UsersModule,
    PasswordResetModule,
    MailModule,
    ResetPageModule,
    MaintenanceModule,
    WebhooksModule,
    WebhookDeliveryModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class AppModule {}
