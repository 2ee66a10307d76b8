import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';

@Module({})
export class AuthModule {
  /** The global guard, resolving bearer tokens with the CredentialResolver that `credentials` exports. */
  static withCredentials(credentials: Type<unknown>): DynamicModule {
    return {
      module: AuthModule,
      imports: [credentials],
      providers: [BearerStrategy, { provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
