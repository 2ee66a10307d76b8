import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './database.options.js';

/** For the TypeORM CLI (`migration:generate`, `migration:run`). */
export default new DataSource(buildDataSourceOptions(new AppConfig(process.env)));
