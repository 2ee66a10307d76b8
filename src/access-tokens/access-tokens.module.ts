import { Module } from '@nestjs/common';
import { CredentialsService } from './credentials.service.js';
import { PersonalAccessTokensController } from './personal-access-tokens.controller.js';
import { PersonalAccessTokensService } from './personal-access-tokens.service.js';

@Module({
  controllers: [PersonalAccessTokensController],
  providers: [CredentialsService, PersonalAccessTokensService],
  exports: [CredentialsService, PersonalAccessTokensService],
})
export class AccessTokensModule {}
