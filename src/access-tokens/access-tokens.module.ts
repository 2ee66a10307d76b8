import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CredentialResolver } from '../auth/credential-resolver.js';
import { CredentialsService } from './credentials.service.js';
import { PersonalAccessToken } from './personal-access-token.entity.js';
import { PersonalAccessTokensController } from './personal-access-tokens.controller.js';
import { PersonalAccessTokensService } from './personal-access-tokens.service.js';
import { Session } from './session.entity.js';

/** Owns `sessions` and `personal_access_tokens`; resolves bearer tokens for the guard (CredentialResolver). */
@Module({
  imports: [TypeOrmModule.forFeature([Session, PersonalAccessToken])],
  controllers: [PersonalAccessTokensController],
  providers: [
    CredentialsService,
    PersonalAccessTokensService,
    { provide: CredentialResolver, useExisting: CredentialsService },
  ],
  exports: [CredentialsService, PersonalAccessTokensService, CredentialResolver],
})
export class AccessTokensModule {}
