import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock.js';
import { RateLimiter } from './rate-limiter.service.js';

// Global: the clock and the rate limiter are infrastructure every feature module uses.
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, RateLimiter],
  exports: [Clock, RateLimiter],
})
export class CommonModule {}
