import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { AuthGuard } from './auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';

@Module({
  imports: [AccessTokensModule],
  providers: [BearerStrategy, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
