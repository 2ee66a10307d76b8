import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ResetTokensModule } from '../reset-tokens/reset-tokens.module.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [PasswordsModule, ResetTokensModule, AccessTokensModule, AccountsModule],
  controllers: [UsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
