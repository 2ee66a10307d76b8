import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import fs from 'node:fs';
import { AppModule } from '../app.module.js';
import { createHttpAdapter } from '../app.setup.js';
import { buildOpenApiDocument } from './openapi.js';

/**
 * Writes the generated OpenAPI document to `openapi.json` (or the path given). Runs the module graph
 * in preview mode: no provider is instantiated, so no database is needed.
 */
const target = process.argv[2] ?? 'openapi.json';
const app = await NestFactory.create(AppModule, createHttpAdapter({ trustProxy: false, bodyLimitBytes: 1024 }), {
  preview: true,
  logger: false,
  abortOnError: false,
});
const document = buildOpenApiDocument(app);
fs.writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
await app.close();
console.log(`wrote ${target}`);
