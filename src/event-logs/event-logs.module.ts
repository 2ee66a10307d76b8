import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventLog } from './event-log.entity.js';
import { EventLogsController } from './event-logs.controller.js';
import { EventLogsService } from './event-logs.service.js';

// Global: every feature module records events; the log is written only through EventLogsService.
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EventLog])],
  controllers: [EventLogsController],
  providers: [EventLogsService],
  exports: [EventLogsService],
})
export class EventLogsModule {}
