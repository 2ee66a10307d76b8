import { Module } from '@nestjs/common';
import { MaintenanceService } from './maintenance.service.js';

/** Periodic housekeeping: dead reset tokens and sessions are deleted in bounded batches. */
@Module({
  providers: [MaintenanceService],
})
export class MaintenanceModule {}
