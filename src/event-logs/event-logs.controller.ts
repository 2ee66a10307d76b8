import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { EventLogQueryDto } from './dto/event-log-query.dto.js';
import { EventLogResponseDto } from './dto/event-log-response.dto.js';
import { EventLogsService } from './event-logs.service.js';

@ApiTags('event-logs')
@Controller('v3/event-logs')
export class EventLogsController {
  constructor(private readonly events: EventLogsService) {}

  @Auth({ scope: 'eventLog:read' })
  @Get()
  @ApiOperation({ summary: "List the account's events, newest first; X-Total-Count holds the total" })
  @ApiBadRequestResponse({
    description: 'Bad filter, from after to, or page/limit out of range (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(AppValidationPipe) query: EventLogQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<EventLogResponseDto[]> {
    const [items, total] = await this.events.list(principal.accountId, query);
    void res.header('X-Total-Count', String(total));
    return items;
  }
}
