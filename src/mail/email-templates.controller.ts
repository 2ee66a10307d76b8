import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { ParseUuidPipe } from '../common/uuid.pipe.js';
import { EmailPreviewResponseDto } from './dto/email-preview-response.dto.js';
import { EmailTemplateResponseDto } from './dto/email-template-response.dto.js';
import { PreviewEmailTemplateDto } from './dto/preview-email-template.dto.js';
import { PutEmailTemplateDto } from './dto/put-email-template.dto.js';
import { EMAIL_EVENTS } from './email-template.entity.js';
import { EmailTemplatesService } from './email-templates.service.js';
import { LOCALE_PATTERN, MAX_LOCALE_LENGTH } from '../common/locale.js';
import { AppValidationPipe } from '../common/validation.pipe.js';

const EVENT_PARAM = { name: 'event', enum: EMAIL_EVENTS, description: 'An unknown event is 404.' };
const ACCOUNT_PARAM = { name: 'id', description: "The caller's own account id; any other is 404." };

@ApiTags('email-templates')
@ApiParam(ACCOUNT_PARAM)
@ApiBadRequestResponse({ description: 'Malformed account id or invalid body.', type: ErrorResponseDto })
@ApiNotFoundResponse({ description: 'Another account, or an unknown event.', type: ErrorResponseDto })
@Controller('v3/accounts/:id/email-templates')
export class EmailTemplatesController {
  constructor(private readonly templates: EmailTemplatesService) {}

  @Get()
  @Auth({ scope: 'account:read' })
  @ApiOperation({ summary: "List the account's email templates, built-in defaults included" })
  @ApiOkResponse({ type: [EmailTemplateResponseDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<EmailTemplateResponseDto[]> {
    const items = await this.templates.list(principal, id);
    void res.header('X-Total-Count', String(items.length));
    return items;
  }

  @Put(':event')
  @Auth({ adminSession: true })
  @ApiOperation({
    summary: 'Create or replace the template of an event and locale',
    description:
      'Every field, event and locale: the emails carry reset tokens and the password-changed notice, so a ' +
      'personal access token of any scope gets 403 FORBIDDEN.',
  })
  @ApiParam(EVENT_PARAM)
  @ApiOkResponse({ type: EmailTemplateResponseDto })
  @ApiConflictResponse({ description: 'A concurrent write of the same template.', type: ErrorResponseDto })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Param('event') event: string,
    @Body(AppValidationPipe) dto: PutEmailTemplateDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<EmailTemplateResponseDto> {
    return this.templates.put(principal, id, event, dto, ctx);
  }

  @Delete(':event')
  @HttpCode(204)
  @Auth({ adminSession: true })
  @ApiOperation({
    summary: "Delete the account's template of an event and locale, back to the next in the fallback order",
    description: 'Any event and locale: a personal access token of any scope gets 403 FORBIDDEN.',
  })
  @ApiParam(EVENT_PARAM)
  @ApiQuery({
    name: 'locale',
    required: false,
    description: 'Omitted: the template without a locale.',
    schema: { type: 'string', pattern: LOCALE_PATTERN.source, maxLength: MAX_LOCALE_LENGTH },
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Param('event') event: string,
    @Query(AppValidationPipe) query: Record<string, unknown>,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.templates.remove(principal, id, event, query, ctx);
  }

  @Post(':event/preview')
  @ApiBody({ type: PreviewEmailTemplateDto, required: false })
  @HttpCode(200)
  @Auth({ scope: 'account:read' })
  @ApiOperation({ summary: 'Render a template with sample data, optionally with unsaved changes' })
  @ApiParam(EVENT_PARAM)
  @ApiOkResponse({ type: EmailPreviewResponseDto })
  preview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Param('event') event: string,
    @Body(AppValidationPipe) dto: PreviewEmailTemplateDto,
  ): Promise<EmailPreviewResponseDto> {
    return this.templates.preview(principal, id, event, dto);
  }
}
