import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * One log line per request: method, path (never the query string, which could hold a secret),
 * status, duration and request id. The id comes from `X-Request-Id` when it looks safe.
 */
@Injectable()
export class RequestLoggerMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = (req.originalUrl ?? req.url).split('?')[0];
      const durationMs = Math.round(ms * 10) / 10;
      if (this.config.logFormat === 'json') {
        this.logger.log({
          msg: 'request',
          requestId: id,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs,
        });
      } else {
        this.logger.log(`${req.method} ${path} ${res.statusCode} ${durationMs}ms ${id}`);
      }
    });
    next();
  }
}
