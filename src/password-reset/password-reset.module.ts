import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { UsersModule } from '../users/users.module.js';
import { PasswordResetService } from './password-reset.service.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { ResetPasswordRequestController } from './reset-password-request.controller.js';
import { ResetRequestsService } from './reset-requests.service.js';
import { ResetTokenJudge } from './reset-token-judge.js';
import { ResetTokensModule } from '../reset-tokens/reset-tokens.module.js';
import { UserPasswordsController } from './user-passwords.controller.js';

/** The reset routes: delegated tokens, reset-password, update-password and reset-password-request. */
@Module({
  imports: [PasswordsModule, ResetTokensModule, AccessTokensModule, UsersModule, AccountsModule],
  controllers: [UserPasswordsController, ResetPasswordRequestController],
  providers: [PasswordResetService, ResetRequestsService, ResetTokenJudge],
})
export class PasswordResetModule {}
