import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.service.js';
import { PasswordStrength } from './password-strength.js';

/**
 * The password primitives shared by sign-up, users and every reset route: hashing, the policy and its strength
 * estimator. A leaf module: no database, no other module of the application.
 */
@Module({
  providers: [PasswordHasher, PasswordPolicy, PasswordStrength],
  exports: [PasswordHasher, PasswordPolicy],
})
export class PasswordsModule {}
