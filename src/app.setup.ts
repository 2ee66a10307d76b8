import { type INestApplication, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Errors } from './common/api-error.js';
import { ApiError } from './common/api-error.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi/openapi.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** A body that is not JSON is 415, in the contract's error shape. */
@Injectable()
export class JsonOnlyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (BODY_METHODS.has(req.method) && hasBody && !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json.');
    }
    next();
  }
}

/** Everything about the HTTP surface that is not a route: used by main.ts and by the e2e tests alike. */
export function configureApp(app: NestExpressApplication, config: AppConfig): INestApplication {
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['X-Total-Count', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });

  const docsHelmet = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Swagger UI over plain http on a LAN address must keep working.
        upgradeInsecureRequests: null,
      },
    },
  });
  const apiHelmet = helmet();
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === '/docs' || req.path.startsWith('/docs/') ? docsHelmet(req, res, next) : apiHelmet(req, res, next),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Tokens travel in headers or bodies only; a token in a query string may already be in some log.
    if (/(^|&)access_token=/.test(req.url.split('?')[1] ?? '')) {
      const body = Errors.invalidField(
        'access_token',
        'Tokens are not accepted in query strings; use the Authorization header.',
      ).toBody();
      res.status(400).json(body);
      return;
    }
    next();
  });
  // After helmet and CORS, so that its own errors (400 for bad JSON, 413) carry their headers too.
  app.useBodyParser('json', { limit: config.bodyLimitBytes, strict: true });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'v3/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Latchkey API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true, tryItOutEnabled: false },
  });
  return app;
}
