import { Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';

/** The one place that reads `process.env`. */
// Global: every module reads configuration, and AppConfig has no dependencies of its own.
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => new AppConfig(process.env) }],
  exports: [AppConfig],
})
export class ConfigModule {}
