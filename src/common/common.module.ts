import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock.js';
import { RateLimiter } from './rate-limiter.service.js';
import { SecretBox } from './secret-box.js';

// Global: the clock, the rate limiter and the secret box (webhook secrets, queued emails) serve several modules.
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, RateLimiter, SecretBox],
  exports: [Clock, RateLimiter, SecretBox],
})
export class CommonModule {}
