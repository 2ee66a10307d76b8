import { Module } from '@nestjs/common';
import { ResetTokensService } from './reset-tokens.service.js';

/** Reset-token bookkeeping, shared by users (a password change kills the user's tokens) and every reset route. */
@Module({
  providers: [ResetTokensService],
  exports: [ResetTokensService],
})
export class ResetTokensModule {}
