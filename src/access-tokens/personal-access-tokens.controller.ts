import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { PaginationQueryDto } from '../common/pagination.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { ParseUuidPipe } from '../common/uuid.pipe.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { CreatePersonalAccessTokenDto } from './dto/create-personal-access-token.dto.js';
import {
  CreatedPersonalAccessTokenDto,
  PersonalAccessTokenResponseDto,
} from './dto/personal-access-token-response.dto.js';
import { UpdatePersonalAccessTokenDto } from './dto/update-personal-access-token.dto.js';
import { PersonalAccessTokensService } from './personal-access-tokens.service.js';

const LINEAGE_NOTE =
  'A personal access token may change only itself and the tokens it made: any other needs an admin session (403 FORBIDDEN).';

@ApiTags('personal-access-tokens')
@Controller('v3/personal-access-tokens')
export class PersonalAccessTokensController {
  constructor(private readonly tokens: PersonalAccessTokensService) {}

  @Auth({ scope: 'personalAccessToken:write' })
  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create a personal access token; its secret is in this response only',
    description:
      'Admins only. Every scope asked must be held by the caller; a token made by a token expires no later than it.',
  })
  @ApiBadRequestResponse({
    description: 'Unknown scope, bad name, or expiresAt in the past or after the parent token (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(AppValidationPipe) dto: CreatePersonalAccessTokenDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<CreatedPersonalAccessTokenDto> {
    return this.tokens.create(principal, dto, ctx);
  }

  @Auth({ scope: 'personalAccessToken:read' })
  @Get()
  @ApiOperation({ summary: "List the account's personal access tokens, newest first (no secrets)" })
  @ApiBadRequestResponse({ description: 'page or limit out of range (VALIDATION_FAILED)', type: ErrorResponseDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(AppValidationPipe) query: PaginationQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<PersonalAccessTokenResponseDto[]> {
    const [items, total] = await this.tokens.list(principal, query);
    void res.header('X-Total-Count', String(total));
    return items;
  }

  @Auth({ scope: 'personalAccessToken:read' })
  @Get(':id')
  @ApiOperation({ summary: 'Get a personal access token (no secret)' })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<PersonalAccessTokenResponseDto> {
    return this.tokens.get(principal, id);
  }

  @Auth({ scope: 'personalAccessToken:write' })
  @Patch(':id')
  @ApiOperation({
    summary: 'Rename or revoke a personal access token; revoking also revokes the tokens it made',
    description: LINEAGE_NOTE,
  })
  @ApiBadRequestResponse({
    description: 'Malformed id or body, or un-revoking a revoked token (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: UpdatePersonalAccessTokenDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<PersonalAccessTokenResponseDto> {
    return this.tokens.update(principal, id, dto, ctx);
  }

  @Auth({ scope: 'personalAccessToken:write' })
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a personal access token and the tokens it made', description: LINEAGE_NOTE })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.tokens.remove(principal, id, ctx);
  }
}
