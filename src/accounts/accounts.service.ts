import { rateLimitKeyOf } from '../common/ip-address.js';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { CredentialsService } from '../access-tokens/credentials.service.js';
import { isAdminSession, type Principal } from '../auth/principal.js';
import { Errors } from '../common/api-error.js';
import { isUniqueViolation } from '../common/database-errors.js';
import { Clock } from '../common/clock.js';
import { canonicalAlias, canonicalEmail } from '../common/identifiers.js';
import { RateLimiter } from '../common/rate-limiter.service.js';
import type { RequestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { byPrincipal } from '../event-logs/by-principal.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-policy.service.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import type { AccountMembers } from './account-members.js';
import { Registration } from '../common/registration.js';
import { ACCOUNT_COLUMNS, type AccountRow, accountFromRow } from './account-row.js';
import { Account } from './account.entity.js';
import { AccountResponseDto } from './dto/account-response.dto.js';
import type { LoginDto } from './dto/login.dto.js';
import type { SessionResponseDto, SignUpDto, SignUpResponseDto } from './dto/sign-up.dto.js';
import type { UpdateAccountDto } from './dto/update-account.dto.js';

/**
 * What a credential with `account:write` may change; every setting needs an admin session (the
 * route's policy says so too), so a leaked PAT cannot lengthen token lifetimes, allow link hosts,
 * weaken passwords or silence the password-changed notice.
 */
export const SCOPED_ACCOUNT_FIELDS = ['name'] as const;
export const DEFAULT_MIN_PASSWORD_LENGTH = 15;

/** How long after a failed login its `user.loginFailed` event is written (inBackground). */
const BACKGROUND_DELAY_MS = 50;

@Injectable()
export class AccountsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AccountsService.name);
  /** Event writes that run after the answer; shutdown waits for them, so none is lost to a restart. */
  private readonly background = new Set<Promise<unknown>>();
  private readonly members = new Registration<AccountMembers>('AccountMembers', 'UsersModule');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly credentials: CredentialsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly rateLimiter: RateLimiter,
    private readonly events: EventLogsService,
  ) {}

  /** The users module registers here at start-up: sign-up and login reach the users table through it. */
  registerMembers(members: AccountMembers): void {
    this.members.set(members);
  }

  private get users(): AccountMembers {
    return this.members.get();
  }

  /** Creates the account, its first admin and that admin's session, all or nothing. */
  async signUp(dto: SignUpDto, ctx: RequestContext): Promise<SignUpResponseDto> {
    // Closed sign-up is refused before this (SignUpOpenGuard), and again here for any other caller.
    if (!this.config.signupEnabled) throw Errors.forbidden('Sign-up is disabled on this server.');
    await this.rateLimiter.consume('SIGNUP_IP', rateLimitKeyOf(ctx.ip));
    const password = await this.policy.assertAcceptable(dto.password, {
      minLength: DEFAULT_MIN_PASSWORD_LENGTH,
      email: dto.email,
      firstName: dto.firstName,
      lastName: dto.lastName,
      accountName: dto.name,
    });
    const passwordHash = await this.hasher.hash(password);
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (m) => {
        // Plain SQL (BENCHMARKS.md `signup`): one INSERT … RETURNING, not TypeORM's save and its subject executor.
        const [row]: AccountRow[] = await m.query(
          `INSERT INTO accounts (name, alias, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING ${ACCOUNT_COLUMNS}`,
          [dto.name, dto.alias, now],
        );
        const account = accountFromRow(row);
        const user = await this.users.createFirstAdmin(
          {
            accountId: account.id,
            email: dto.email,
            firstName: dto.firstName,
            lastName: dto.lastName,
            passwordHash,
            now,
          },
          m,
        );
        const session = await this.credentials.createSession(user, ctx, m);
        const actor = { type: 'user' as const, id: user.id };
        await this.events.record(
          {
            accountId: account.id,
            action: 'account.created',
            actor,
            targetUserId: user.id,
            ctx,
            data: { alias: account.alias },
          },
          m,
        );
        await this.events.record(
          { accountId: account.id, action: 'user.created', actor, targetUserId: user.id, ctx, data: { role: 'admin' } },
          m,
        );
        return {
          account: AccountResponseDto.from(account),
          user: UserResponseDto.from(user),
          accessToken: session.accessToken,
          expiresAt: session.expiresAt.toISOString(),
        };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw Errors.conflict('That alias is taken.');
      throw err;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /** Resolves once the background writes started so far are done (shutdown; tests that time requests). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  /**
   * Runs `work` once the current answer has left. A moment later rather than at the next turn of the event loop: on
   * the embedded database the write runs on this thread, and a client in this process (the timing tests) would
   * otherwise read the 401 only after it, so a known account's failure would look slower than an unknown one's.
   */
  private inBackground(work: () => Promise<unknown>): void {
    const tracked = new Promise<void>((resolve) => setTimeout(resolve, BACKGROUND_DELAY_MS))
      .then(work)
      .catch((err: unknown) => this.logger.error(`user.loginFailed not recorded: ${(err as Error).message}`))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /**
   * One identical 401 for a wrong alias, email or password, after the same argon2id work.
   * Failures are limited per account + email + IP and per account + email, so an attacker on one
   * address cannot lock the real user out.
   */
  async login(dto: LoginDto, ctx: RequestContext): Promise<SessionResponseDto> {
    const ip = rateLimitKeyOf(ctx.ip);
    // One canonical form for the lookup and every limit, so no spelling of an email buys more guesses.
    const alias = canonicalAlias(dto.accountAlias);
    const email = canonicalEmail(dto.email);
    const target = `${alias}:${email}`;
    await this.rateLimiter.consume('LOGIN_IP', ip);
    // Every attempt counts as a failure until it succeeds, so parallel guesses cannot overrun the limit.
    const failureKeys = [
      ['LOGIN_FAILURES_TARGET_IP', `${target}:${ip}`],
      ['LOGIN_FAILURES_TARGET', target],
    ] as const;
    const succeeded = await this.rateLimiter.countFailureUpFront(failureKeys);

    const row = await this.users.findLoginCandidate(alias, email);
    const ok = await this.hasher.verify(row?.passwordHash, dto.password);
    if (!ok || !row?.userId) {
      const accountId = row?.accountId;
      if (accountId) {
        // Off the request path (API.md "Event log"): an unknown alias writes nothing, so awaiting the
        // insert would make a known account's 401 measurably slower than an unknown one's.
        this.inBackground(() =>
          this.events.record({
            accountId,
            action: 'user.loginFailed',
            actor: { type: 'anonymous', id: null },
            // The user when the email names one; nothing of what was typed (it may be a password).
            targetUserId: row.userId,
            ctx,
          }),
        );
      }
      throw Errors.invalidCredentials();
    }
    const user = { id: row.userId, accountId: row.accountId };
    const verifiedHash = row.passwordHash!;
    const session = await this.dataSource.transaction(async (m) => {
      // The row first, locked: a user deleted, or a password changed (a reset kills the sessions), since the check
      // above is a wrong credential, never a session made from the old password or for a user that is gone.
      if (!(await this.users.recordLogin(user.id, verifiedHash, this.clock.now(), m)))
        throw Errors.invalidCredentials();
      const session = await this.credentials.createSession(user, ctx, m);
      await this.events.record(
        {
          accountId: user.accountId,
          action: 'user.loggedIn',
          actor: { type: 'user', id: user.id },
          targetUserId: user.id,
          ctx,
        },
        m,
      );
      return session;
    });
    await succeeded();
    return { accessToken: session.accessToken, expiresAt: session.expiresAt.toISOString() };
  }

  async logout(principal: Principal): Promise<void> {
    await this.credentials.revokeSession(principal.tokenId);
  }

  async get(principal: Principal, id: string): Promise<AccountResponseDto> {
    return AccountResponseDto.from(await this.find(principal, id));
  }

  async update(
    principal: Principal,
    id: string,
    dto: UpdateAccountDto,
    ctx: RequestContext,
  ): Promise<AccountResponseDto> {
    const changed = (Object.keys(dto) as (keyof UpdateAccountDto)[]).filter((k) => dto[k] !== undefined);
    // Any key but name, whatever its value (the current one too), is for an admin session only.
    const humanOnly = changed.filter((k) => !(SCOPED_ACCOUNT_FIELDS as readonly string[]).includes(k));
    return this.dataSource.transaction(async (m) => {
      // Another tenant's account does not exist for the caller.
      const account =
        id === principal.accountId
          ? // FOR NO KEY UPDATE, which an UPDATE takes: changes of one account apply one after another, and the
            // inserts that reference the account (its events, users, sessions) need not wait for this one.
            await m.findOne(Account, { where: { id }, lock: { mode: 'for_no_key_update' } })
          : null;
      if (!account) throw Errors.notFound('Account');
      if (humanOnly.length && !isAdminSession(principal)) {
        throw Errors.forbidden(`Only an admin session may change ${humanOnly.join(', ')}.`);
      }
      const next = { ...account, ...Object.fromEntries(changed.map((k) => [k, dto[k]])) } as Account;
      if (next.resetTokenTtlSeconds > next.resetTokenMaxTtlSeconds) {
        throw Errors.invalidField(
          'resetTokenTtlSeconds',
          'resetTokenTtlSeconds must not exceed resetTokenMaxTtlSeconds',
        );
      }
      if (changed.length) {
        next.updatedAt = this.clock.now();
        await m.save(Account, next);
        await this.events.record(
          { ...byPrincipal(principal, ctx), action: 'account.updated', data: { fields: changed } },
          m,
        );
      }
      return AccountResponseDto.from(next);
    });
  }

  /** The account with this id, or null (for modules that hold an id they already trust). */
  async findById(id: string, manager: EntityManager = this.accounts.manager): Promise<Account | null> {
    return manager.findOneBy(Account, { id });
  }

  /** The account with this id; the id is the caller's own, so a missing row is an internal error. */
  async findByIdOrFail(id: string, manager: EntityManager = this.accounts.manager): Promise<Account> {
    return manager.findOneByOrFail(Account, { id });
  }

  /** The account with this alias (already in canonical form), or null. */
  async findByAlias(alias: string, manager: EntityManager = this.accounts.manager): Promise<Account | null> {
    return manager.findOneBy(Account, { alias });
  }

  /** The account's minimum password length, or null when there is no such account. */
  async minPasswordLengthOf(id: string): Promise<number | null> {
    const account = await this.accounts.findOne({
      select: { id: true, minPasswordLength: true },
      where: { id },
    });
    return account?.minPasswordLength ?? null;
  }

  private async find(principal: Principal, id: string): Promise<Account> {
    // Another tenant's account does not exist for the caller.
    const account = id === principal.accountId ? await this.accounts.findOneBy({ id }) : null;
    if (!account) throw Errors.notFound('Account');
    return account;
  }
}
