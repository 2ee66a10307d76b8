import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.service.js';
import { PasswordStrength } from './password-strength.js';
import { ResetTokensService } from './reset-tokens.service.js';

/**
 * Password hashing, the password policy and reset-token bookkeeping, shared by sign-up, users and
 * every reset route.
 */
@Module({
  providers: [PasswordHasher, PasswordPolicy, PasswordStrength, ResetTokensService],
  exports: [PasswordHasher, PasswordPolicy, ResetTokensService],
})
export class PasswordsModule {}
