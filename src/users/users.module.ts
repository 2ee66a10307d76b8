import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ResetTokensModule } from '../reset-tokens/reset-tokens.module.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Owns `users`; registers itself with AccountsService as the AccountMembers of sign-up and login. */
@Module({
  imports: [TypeOrmModule.forFeature([User]), PasswordsModule, ResetTokensModule, AccessTokensModule, AccountsModule],
  controllers: [UsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
