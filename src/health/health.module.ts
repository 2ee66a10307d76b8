import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { RootController } from './root.controller.js';
import { ShutdownState } from './shutdown-state.js';

@Module({
  controllers: [HealthController, RootController],
  providers: [ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
