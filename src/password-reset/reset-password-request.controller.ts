import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { ResetPasswordRequestDto } from './dto/reset-password-request.dto.js';
import { ResetRequestsService } from './reset-requests.service.js';

@ApiTags('accounts')
@Controller('v3/accounts')
export class ResetPasswordRequestController {
  constructor(private readonly requests: ResetRequestsService) {}

  @Public()
  @Post('reset-password-request')
  @HttpCode(202)
  @ApiOperation({
    summary: "Email a user the account's reset link; the same answer whether or not the user exists",
  })
  @ApiAcceptedResponse({
    description: 'Always, whether or not the user exists.',
    schema: { type: 'object', additionalProperties: false, example: {} },
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponseDto })
  async request(
    @Body(AppValidationPipe) dto: ResetPasswordRequestDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<Record<string, never>> {
    await this.requests.request(dto, ctx);
    return {};
  }
}
