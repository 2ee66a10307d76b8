import { applyDecorators, Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { ParseUuidPipe } from '../common/uuid.pipe.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { IssueResetTokenDto } from './dto/issue-reset-token.dto.js';
import { IssuedResetTokenResponseDto } from './dto/issued-reset-token-response.dto.js';
import { ResetLinkTokenDto, VerifiedResetTokenResponseDto } from './dto/reset-link.dto.js';
import { ResetPasswordDto } from './dto/reset-password.dto.js';
import { ResetTokenResponseDto } from './dto/reset-token-response.dto.js';
import { UpdatePasswordDto } from './dto/update-password.dto.js';
import { PasswordResetService } from './password-reset.service.js';

/** The 429 of the routes that judge a reset token: they share one failure budget. */
const ApiTokenFailureBudget = () =>
  applyDecorators(
    ApiTooManyRequestsResponse({
      description: 'RATE_LIMITED: the token failure budget is spent (a live token always proceeds)',
      type: ErrorResponseDto,
    }),
  );

/** A user's password: delegated reset tokens, reset with a token, and changing one's own password. */
@ApiTags('users')
@Controller('v3/users')
export class UserPasswordsController {
  constructor(private readonly passwords: PasswordResetService) {}

  @Auth({ scope: 'user:resetPasswordToken' })
  @Post(':id/reset-password-token')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Issue a reset token for a user with role "user" (kills the earlier one); optionally email it',
  })
  @ApiBody({ type: IssueResetTokenDto, required: false })
  @ApiCreatedResponse({ type: IssuedResetTokenResponseDto })
  @ApiBadRequestResponse({
    description: 'Malformed id or expiresInSeconds out of range (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponseDto })
  issue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: IssueResetTokenDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<IssuedResetTokenResponseDto> {
    return this.passwords.issue(principal, id, dto, ctx);
  }

  @Auth({ scope: 'user:read' })
  @Get(':id/reset-password-tokens')
  @ApiOperation({ summary: "List a user's outstanding reset tokens (metadata only, never the secret)" })
  @ApiOkResponse({ type: [ResetTokenResponseDto] })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  async listTokens(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ResetTokenResponseDto[]> {
    const tokens = await this.passwords.listOutstanding(principal, id);
    void res.header('X-Total-Count', String(tokens.length));
    return tokens;
  }

  @Auth({ scope: 'user:resetPasswordToken' })
  @Delete(':id/reset-password-tokens')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke every outstanding reset token of a user with role "user"' })
  @ApiNoContentResponse({ description: 'Every outstanding token of the user is dead.' })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  async revokeTokens(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.passwords.revokeAll(principal, id, ctx);
  }

  @Public()
  @Post(':id/reset-password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with a reset token; ends every session of the user and does not log in',
  })
  @ApiBody({ type: ResetPasswordDto })
  @ApiNoContentResponse({ description: 'The password is changed.' })
  @ApiBadRequestResponse({
    description:
      'RESET_TOKEN_INVALID for any token failure (judged first), then VALIDATION_FAILED or WEAK_PASSWORD ' +
      '(the token stays unused)',
    type: ErrorResponseDto,
  })
  @ApiTokenFailureBudget()
  async resetPassword(
    // Raw on purpose: a malformed id or body is RESET_TOKEN_INVALID, judged in the service.
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.passwords.resetPassword(id, body, ctx);
  }

  @Public()
  @Post(':id/reset-password/verify')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Check a reset token without using it: when it expires and the minimum password length',
    description:
      'Judges the token exactly as reset-password does, against the same failure budget; the token stays unused.',
  })
  @ApiBody({ type: ResetLinkTokenDto })
  @ApiOkResponse({ type: VerifiedResetTokenResponseDto })
  @ApiBadRequestResponse({
    description: 'RESET_TOKEN_INVALID for any token failure, a malformed id or body included',
    type: ErrorResponseDto,
  })
  @ApiTokenFailureBudget()
  verifyResetToken(
    // Raw on purpose: a malformed id or body is RESET_TOKEN_INVALID, judged in the service.
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqContext() ctx: RequestContext,
  ): Promise<VerifiedResetTokenResponseDto> {
    return this.passwords.verify(id, body, ctx);
  }

  @Public()
  @Post(':id/reset-password/cancel')
  @HttpCode(204)
  @ApiOperation({
    summary: '"I did not ask for this": kill every outstanding reset token of the user with one of them',
    description:
      'Writes user.resetPasswordCanceled, changes nothing else and sends nothing. Judges the token exactly as ' +
      'reset-password does, against the same failure budget.',
  })
  @ApiBody({ type: ResetLinkTokenDto })
  @ApiNoContentResponse({ description: 'Every outstanding reset token of the user is dead.' })
  @ApiBadRequestResponse({
    description: 'RESET_TOKEN_INVALID for any token failure, a malformed id or body included',
    type: ErrorResponseDto,
  })
  @ApiTokenFailureBudget()
  async cancelResetToken(
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.passwords.cancel(id, body, ctx);
  }

  @Auth({ selfOnly: true })
  @Post(':id/update-password')
  @HttpCode(204)
  @ApiOperation({
    summary: "Change one's own password; ends the user's other sessions and reset tokens",
  })
  @ApiNoContentResponse({ description: 'The password is changed.' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, WRONG_PASSWORD or WEAK_PASSWORD', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponseDto })
  async updatePassword(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: UpdatePasswordDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.passwords.updatePassword(principal, id, dto, ctx);
  }
}
