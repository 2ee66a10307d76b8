import { Module } from '@nestjs/common';
import { ResetTokensService } from './reset-tokens.service.js';

/** Owns `reset_tokens`: issuing, looking up, consuming and revoking reset tokens, for users and every reset route. */
@Module({
  providers: [ResetTokensService],
  exports: [ResetTokensService],
})
export class ResetTokensModule {}
