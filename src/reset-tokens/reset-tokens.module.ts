import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ResetToken } from './reset-token.entity.js';
import { ResetTokensService } from './reset-tokens.service.js';

/** Owns `reset_tokens`: issuing, looking up, consuming and revoking reset tokens, for users and every reset route. */
@Module({
  imports: [TypeOrmModule.forFeature([ResetToken])],
  providers: [ResetTokensService],
  exports: [ResetTokensService],
})
export class ResetTokensModule {}
