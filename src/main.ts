import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { AppConfig } from './config/app-config.js';
import { assertCanListen, listenFailure } from './config/port-check.js';
import { lockDataDir } from './database/data-dir-lock.js';

/** How long SIGTERM waits for the event loop to accept and read nothing more before it closes the listener. */
const READ_ARRIVED_MS = 50;
/** And at most this long, whatever keeps arriving. */
const READ_ARRIVED_MAX_MS = 2_000;

/** Resolves once `server` has accepted no connection and read no request for `ms`, or after READ_ARRIVED_MAX_MS. */
function quietFor(server: Server, ms: number): Promise<void> {
  const started = Date.now();
  let last = started;
  const seen = () => (last = Date.now());
  server.on('connection', seen).on('request', seen);
  return new Promise<void>((resolve) => {
    // Checked on timers, so after the loop's turns that read (on a starved CPU the time passes between turns).
    const check = () => {
      const now = Date.now();
      if (now - last < ms && now - started < READ_ARRIVED_MAX_MS) return void setTimeout(check, 10);
      server.off('connection', seen).off('request', seen);
      resolve();
    };
    setTimeout(check, 10);
  });
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap() {
  const config = new AppConfig(process.env);
  // Before anything opens the database: a busy port, or a second process on this DATA_DIR, stops here,
  // before the application's modules are even loaded (that alone takes seconds).
  await assertCanListen(config.host, config.port);
  if (config.embedded) await lockDataDir(config.dataDir);

  const [{ ConsoleLogger }, { NestFactory }, { AppModule }, { configureApp, createHttpAdapter }, { ShutdownState }] =
    await Promise.all([
      import('@nestjs/common'),
      import('@nestjs/core'),
      import('./app.module.js'),
      import('./app.setup.js'),
      import('./health/shutdown-state.js'),
    ]);
  const logger = new ConsoleLogger('Latchkey', {
    json: config.logFormat === 'json',
    colors: config.logFormat === 'text' && process.stdout.isTTY === true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(config), {
    bodyParser: false,
    logger,
  });
  configureApp(app, config);
  try {
    await app.listen(config.port, config.host);
  } catch (err) {
    // Taken in the meantime: the same line, after closing what was opened.
    await app.close().catch(() => undefined);
    throw new Error(listenFailure(err, config.host, config.port) ?? (err as Error).message, { cause: err });
  }
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
    // Requests that arrived before the signal but that a busy event loop has not read yet (a connection still in the
    // listen backlog, a request still in its socket's buffer) count as in flight: the listener stays open until the
    // loop has gone READ_ARRIVED_MS without accepting a connection or reading a request, since closing it resets the
    // backlog and closes every connection with no request read yet.
    await quietFor(server, READ_ARRIVED_MS);
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
