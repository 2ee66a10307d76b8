import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { Account } from './account.entity.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';

/** Owns `accounts`; sign-up and login reach the users table through AccountMembers, which the users module registers. */
@Module({
  imports: [TypeOrmModule.forFeature([Account]), AccessTokensModule, PasswordsModule],
  controllers: [AccountsController],
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
