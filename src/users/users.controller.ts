import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ReqContext, type RequestContext } from '../common/request-context.js';
import { ParseUuidPipe } from '../common/uuid.pipe.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBadRequestResponse({ description: 'Invalid input (VALIDATION_FAILED).', type: ErrorResponseDto })
@Controller('v3/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Auth({ scope: 'user:write' })
  @ApiOperation({
    summary: 'Create a user',
    description: 'Creating an `admin` needs an admin session. A given password must pass the account policy.',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid input or WEAK_PASSWORD.', type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The email is taken in the account (CONFLICT).', type: ErrorResponseDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(AppValidationPipe) dto: CreateUserDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<UserResponseDto> {
    return this.users.create(principal, dto, ctx);
  }

  @Get()
  @Auth({ scope: 'user:read' })
  @ApiOperation({ summary: "List the account's users", description: 'The total count is in `X-Total-Count`.' })
  @ApiOkResponse({
    type: [UserResponseDto],
    headers: { 'X-Total-Count': { description: 'Users matching the filters.', schema: { type: 'integer' } } },
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(AppValidationPipe) query: ListUsersQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<UserResponseDto[]> {
    const { items, total } = await this.users.list(principal.accountId, query);
    void res.header('X-Total-Count', String(total));
    return items;
  }

  @Get(':id')
  @Auth({ scope: 'user:read', self: true })
  @ApiOperation({ summary: 'Get a user' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUuidPipe) id: string): Promise<UserResponseDto> {
    return this.users.get(principal.accountId, id);
  }

  @Patch(':id')
  @Auth({ scope: 'user:write', self: true })
  @ApiOperation({
    summary: 'Update a user',
    description:
      'A user may change only its own first and last name and locale. Promoting to admin or changing an ' +
      "admin's email needs an admin session; demoting an admin revokes the PATs it created.",
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Email taken, or the last admin demoted (CONFLICT).', type: ErrorResponseDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @Body(AppValidationPipe) dto: UpdateUserDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<UserResponseDto> {
    return this.users.update(principal, id, dto, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @Auth({ scope: 'user:write' })
  @ApiOperation({
    summary: 'Delete a user',
    description: 'Its sessions, PATs and reset tokens go with it. Deleting an admin needs an admin session.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The last admin (CONFLICT).', type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUuidPipe) id: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<void> {
    await this.users.remove(principal, id, ctx);
  }
}
