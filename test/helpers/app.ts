import { ConsoleLogger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { App } from 'supertest/types.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import { Clock } from '../../src/common/clock.js';
import { AppConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/database.options.js';
import { runMigrationsLocked } from '../../src/database/migrate.js';
import { FakeClock } from './fake-clock.js';

/** Every line the service logged during a suite, to prove no secret reaches the logs. */
export class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  constructor() {
    super('test', { logLevels: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] });
  }
  protected override printStackTrace(stack: string): void {
    this.lines.push(`stack ${stack}`);
  }
  protected override printMessages(messages: unknown[], context?: string, logLevel?: string): void {
    for (const m of messages)
      this.lines.push(`${logLevel} [${context}] ${typeof m === 'string' ? m : JSON.stringify(m)}`);
    if (process.env.TEST_LOGS && (logLevel === 'error' || logLevel === 'warn'))
      super.printMessages(messages, context, logLevel as never);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  http: App;
  clock: FakeClock;
  config: AppConfig;
  logs: CapturingLogger;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The template's database with every migration applied, made by the first app of the run that needs it. Test files
 * run in parallel workers, so each makes its copy in a directory of its own and renames it into place: a rename onto a
 * directory that another worker has already filled fails, and the loser's copy is dropped.
 */
async function migratedTemplate(template: string): Promise<string> {
  const ready = path.join(template, 'migrated');
  if (fs.existsSync(ready)) return ready;
  const work = fs.mkdtempSync(path.join(template, 'work-'));
  fs.cpSync(path.join(template, 'pg'), path.join(work, 'pg'), { recursive: true });
  const dataSource = await new DataSource(buildDataSourceOptions(new AppConfig({ DATA_DIR: work }))).initialize();
  await runMigrationsLocked(dataSource, true);
  await dataSource.destroy();
  try {
    fs.renameSync(work, ready);
  } catch {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return ready;
}

/**
 * Boots the real AppModule in-process. Against PostgreSQL when TEST_DATABASE_URL is set, else on an
 * embedded PGlite database in a fresh temp directory, copied from the migrated template (an initdb and the
 * migrations per app would cost seconds). Rate limits are off unless `env` turns them on.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  // Under the run's template directory when there is one: removing ~1,000 files from inside Jest costs seconds, so
  // the global teardown removes them all at once.
  const template = process.env.LATCHKEY_TEST_PGLITE_TEMPLATE;
  const dataDir = fs.mkdtempSync(path.join(template ?? os.tmpdir(), 'latchkey-test-'));
  const config = new AppConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    REDIS_URL: undefined,
    RATE_LIMITS: 'off',
    PUBLIC_URL: 'http://localhost:3000',
    OUTBOX_POLL_MS: '50',
    // Webhook attempts stay pending unless a test delivers them (drain()) or turns the worker on.
    WEBHOOK_WORKER: 'off',
    LOG_FORMAT: 'json',
    ...env,
  });
  // A DATA_DIR given in `env` that already holds a database is opened as it is (a restart).
  if (template && !config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'pg')))
    fs.cpSync(path.join(await migratedTemplate(template), 'pg'), path.join(config.dataDir, 'pg'), { recursive: true });
  const clock = new FakeClock();
  const logs = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    bodyParser: false,
    logger: logs,
  });
  configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: app.getHttpServer() as App,
    clock,
    config,
    logs,
    dataDir,
    async close() {
      await app.close();
      if (!template) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const api = (t: TestApp) => request(t.http);
