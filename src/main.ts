import 'reflect-metadata';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { AppConfig } from './config/app-config.js';
import { lockDataDir } from './database/data-dir-lock.js';
import { ShutdownState } from './health/shutdown-state.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap() {
  const config = new AppConfig(process.env);
  const logger = new ConsoleLogger('Latchkey', {
    json: config.logFormat === 'json',
    colors: config.logFormat === 'text' && process.stdout.isTTY === true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
  // Before anything opens the embedded database: a second process on this DATA_DIR stops here.
  if (config.embedded) await lockDataDir(config.dataDir);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(config), {
    bodyParser: false,
    logger,
  });
  configureApp(app, config);
  await app.listen(config.port, config.host);
  logger.log(
    `listening on ${config.host}:${config.port}, database: ${config.embedded ? `embedded (${config.dataDir})` : 'PostgreSQL'}`,
  );

  // Drain on SIGTERM/SIGINT: readiness turns 503, the listener closes, requests in flight finish,
  // then the modules shut down and the process exits 0 (Nest's own hooks would re-raise the signal).
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining`);
    app.get(ShutdownState).draining = true;
    // Behind a load balancer: keep serving while it notices the 503 readiness and stops sending.
    if (config.shutdownDelayMs) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
    const server = app.getHttpServer() as Server;
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs).unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    try {
      await app.close();
    } catch (err) {
      logger.error(`shutdown: ${(err as Error).message}`);
    }
    logger.log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
