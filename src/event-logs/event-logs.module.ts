import { Global, Module } from '@nestjs/common';
import { EventLogsService } from './event-logs.service.js';

@Global()
@Module({
  providers: [EventLogsService],
  exports: [EventLogsService],
})
export class EventLogsModule {}
