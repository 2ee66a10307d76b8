import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './database.options.js';
import { runMigrationsLocked } from './migrate.js';
import { PooledDataSource } from './pooled-data-source.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...buildDataSourceOptions(config), retryAttempts: 0 }),
      dataSourceFactory: async (options) => {
        const dataSource = await new PooledDataSource(options!).initialize();
        await runMigrationsLocked(dataSource, !('url' in options! && options.url));
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
