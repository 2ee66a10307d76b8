import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth, CurrentPrincipal, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { ParseUuidPipe } from '../common/uuid.pipe.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { AccountsService, SCOPED_ACCOUNT_FIELDS } from './accounts.service.js';
import { AccountResponseDto } from './dto/account-response.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { SessionResponseDto, SignUpDto, SignUpResponseDto } from './dto/sign-up.dto.js';
import { UpdateAccountDto } from './dto/update-account.dto.js';
import { SignUpOpenGuard } from './sign-up-open.guard.js';

@ApiTags('accounts')
@Controller('v3/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post()
  @UseGuards(SignUpOpenGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Sign up: create an account, its first admin and a session' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED or WEAK_PASSWORD', type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: 'Sign-up is disabled (FORBIDDEN)', type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The alias is taken (CONFLICT)', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponseDto })
  signUp(@Body(AppValidationPipe) dto: SignUpDto, @ReqContext() ctx: RequestContext): Promise<SignUpResponseDto> {
    return this.accounts.signUp(dto, ctx);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Log in with account alias, email and password; returns a session token' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorResponseDto })
  @ApiUnauthorizedResponse({
    description: 'Wrong alias, email or password (INVALID_CREDENTIALS)',
    type: ErrorResponseDto,
  })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponseDto })
  login(@Body(AppValidationPipe) dto: LoginDto, @ReqContext() ctx: RequestContext): Promise<SessionResponseDto> {
    return this.accounts.login(dto, ctx);
  }

  @Auth({ sessionOnly: true })
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: revoke the calling session' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.accounts.logout(principal);
  }

  @Auth({ scope: 'account:read' })
  @Get(':id')
  @ApiOperation({ summary: 'Get the account and its settings' })
  @ApiBadRequestResponse({ description: 'Malformed id (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUuidPipe) id: string): Promise<AccountResponseDto> {
    return this.accounts.get(principal, id);
  }

  @Auth({ scope: 'account:write', scopedBodyKeys: SCOPED_ACCOUNT_FIELDS })
  @Patch(':id')
  @ApiOperation({
    summary: 'Update the account name or settings',
    description:
      'A personal access token with `account:write` may change only `name`: a body holding any other key is ' +
      '403 FORBIDDEN whatever the values; the settings need an admin session.',
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND', type: ErrorResponseDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: UpdateAccountDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<AccountResponseDto> {
    return this.accounts.update(principal, id, dto, ctx);
  }
}
