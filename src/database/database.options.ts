import path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { Account } from '../accounts/account.entity.js';
import { User } from '../users/user.entity.js';
import { Session } from '../access-tokens/session.entity.js';
import { PersonalAccessToken } from '../access-tokens/personal-access-token.entity.js';
import { ResetToken } from '../reset-tokens/reset-token.entity.js';
import { EventLog } from '../event-logs/event-log.entity.js';
import { EmailTemplate } from '../mail/email-template.entity.js';
import { OutboxMessage } from '../mail/outbox-message.entity.js';
import { Webhook } from '../webhooks/webhook.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { migrations } from '../../migrations/index.js';
import { pgliteDriver } from './pglite-pool.js';
import { PreparingClient } from './prepared-statements.js';

export const entities = [
  Account,
  User,
  Session,
  PersonalAccessToken,
  ResetToken,
  EventLog,
  EmailTemplate,
  OutboxMessage,
  Webhook,
  WebhookDelivery,
];

/** The one options object, used by the app, the TypeORM CLI and the tests. */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    // PGlite has neither uuid-ossp nor pgcrypto; gen_random_uuid() is built in since PostgreSQL 13.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    // Query errors are logged by the exception filter, without their parameters (which may hold hashes).
    logging: false,
  };
  if (config.databaseUrl) {
    return {
      ...common,
      url: config.databaseUrl,
      poolSize: config.dbPoolSize,
      extra: {
        // Fail fast (503) rather than hang when the database is down or overloaded.
        connectionTimeoutMillis: 5000,
        query_timeout: config.dbStatementTimeoutMs,
        statement_timeout: config.dbStatementTimeoutMs,
        idleTimeoutMillis: 30_000,
        application_name: 'latchkey',
        // Parameterised statements are prepared once per connection (see prepared-statements.ts).
        Client: PreparingClient,
      },
    };
  }
  return {
    ...common,
    driver: pgliteDriver(path.join(config.dataDir, 'pg'), config.dataDir),
  };
}
