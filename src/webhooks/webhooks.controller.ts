import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { ParseUuidPipe } from '../common/uuid.pipe.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { CreateWebhookDto } from './dto/create-webhook.dto.js';
import { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto.js';
import { RotateWebhookSecretDto } from './dto/rotate-webhook-secret.dto.js';
import { UpdateWebhookDto } from './dto/update-webhook.dto.js';
import { WebhookDeliveryResponseDto } from './dto/webhook-delivery-response.dto.js';
import { CreatedWebhookDto, WebhookResponseDto, WebhookSecretDto } from './dto/webhook-response.dto.js';
import { WebhooksService } from './webhooks.service.js';

const ADMIN_ONLY =
  'Needs an admin session: a personal access token of any scope gets 403 FORBIDDEN, so a leaked token cannot send the account’s events anywhere.';

@ApiTags('webhooks')
@Controller('v3/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Auth({ adminSession: true })
  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Add a webhook endpoint; its signing secret is in this response only',
    description: `${ADMIN_ONLY} Every admin of the account is emailed. At most 10 endpoints per account.`,
  })
  @ApiBadRequestResponse({ description: 'Bad url, events or description (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The account has 10 endpoints already (CONFLICT)', type: ErrorResponseDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(AppValidationPipe) dto: CreateWebhookDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<CreatedWebhookDto> {
    return this.webhooks.create(principal, dto, ctx);
  }

  @Auth({ scope: 'account:read' })
  @Get()
  @ApiOperation({ summary: "List the account's webhook endpoints (at most 10), newest first (no secrets)" })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<WebhookResponseDto[]> {
    const items = await this.webhooks.list(principal);
    void res.header('X-Total-Count', String(items.length));
    return items;
  }

  @Auth({ scope: 'account:read' })
  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook endpoint (no secret)' })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUuidPipe) id: string): Promise<WebhookResponseDto> {
    return this.webhooks.get(principal, id);
  }

  @Auth({ adminSession: true })
  @Patch(':id')
  @ApiOperation({
    summary: 'Change, disable or enable a webhook endpoint',
    description: `${ADMIN_ONLY} A new url is emailed to every admin; disabling drops the pending attempts.`,
  })
  @ApiBadRequestResponse({ description: 'Malformed id or body (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: UpdateWebhookDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<WebhookResponseDto> {
    return this.webhooks.update(principal, id, dto, ctx);
  }

  @Auth({ adminSession: true })
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint; no attempt starts after the answer', description: ADMIN_ONLY })
  @ApiNoContentResponse({ description: 'Deleted, with its pending attempts.' })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.webhooks.remove(principal, id, ctx);
  }

  @Auth({ adminSession: true })
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBody({ type: RotateWebhookSecretDto, required: false })
  @ApiOperation({
    summary: 'Replace the signing secret; the new one is in this response only',
    description: `${ADMIN_ONLY} The old secret also signs for 24 hours (two signatures), unless expireOldNow; a second rotation ends the oldest at once.`,
  })
  @ApiBadRequestResponse({ description: 'Malformed id or body (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: RotateWebhookSecretDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<WebhookSecretDto> {
    return this.webhooks.rotateSecret(principal, id, dto ?? {}, ctx);
  }

  @Auth({ adminSession: true })
  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a webhook.test event to this endpoint only',
    description: `${ADMIN_ONLY} 10 an hour per endpoint.`,
  })
  @ApiAcceptedResponse({
    description: 'Queued.',
    schema: { type: 'object', additionalProperties: false, example: {} },
  })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The endpoint is disabled (CONFLICT)', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED, with Retry-After', type: ErrorResponseDto })
  async test(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<Record<string, never>> {
    await this.webhooks.test(principal, id, ctx);
    return {};
  }

  @Auth({ scope: 'account:read' })
  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's delivery attempts, made or scheduled, newest first" })
  @ApiBadRequestResponse({
    description: 'Malformed id, or a query parameter out of range (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  async listDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Query(AppValidationPipe) query: ListDeliveriesQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<WebhookDeliveryResponseDto[]> {
    const [items, total] = await this.webhooks.listDeliveries(principal, id, query);
    void res.header('X-Total-Count', String(total));
    return items;
  }
}
