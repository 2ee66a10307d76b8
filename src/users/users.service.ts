import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  Brackets,
  DataSource,
  type EntityManager,
  type QueryDeepPartialEntity,
  type QueryPartialEntity,
  type Repository,
} from 'typeorm';
import { PersonalAccessTokensService } from '../access-tokens/personal-access-tokens.service.js';
import type { TokenCreators } from '../access-tokens/token-creators.js';
import type { AccountMembers, FirstAdmin, LoginCandidate } from '../accounts/account-members.js';
import {
  ACCOUNT_BRIEF_COLUMNS_AS_A,
  type AccountBrief,
  accountBriefFromRow,
  type AccountBriefRowAsA,
} from '../accounts/account-row.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { isAdminSession, type Principal } from '../auth/principal.js';
import type { UserRole } from '../auth/roles.js';
import { Errors } from '../common/api-error.js';
import { isUniqueViolation } from '../common/database-errors.js';
import { lockForTransaction } from '../common/transaction-lock.js';
import { Clock } from '../common/clock.js';
import { canonicalEmail } from '../common/identifiers.js';
import { skipOf } from '../common/pagination.dto.js';
import type { RequestContext } from '../common/request-context.js';
import { byPrincipal } from '../event-logs/by-principal.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import {
  MailService,
  PASSWORD_CHANGED_TEMPLATES_SQL,
  RESET_LINK_TEMPLATES_SQL,
  type SavedLinkTemplate,
  type SavedTemplate,
} from '../mail/mail.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-policy.service.js';
import { ResetTokensService } from '../reset-tokens/reset-tokens.service.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { ListUsersQueryDto, UserSort } from './dto/list-users-query.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { User } from './user.entity.js';
import {
  USER_BRIEF_COLUMNS,
  type UserBrief,
  userBriefFromRow,
  USER_COLUMNS,
  userFromRow,
  type UserRow,
} from './user-row.js';

/** The fields a `user`-role session may change on itself. */
const SELF_EDITABLE: ReadonlySet<string> = new Set(['firstName', 'lastName', 'locale']);

const SORT_COLUMNS: Record<string, string> = {
  createdAt: 'u.createdAt',
  email: 'u.emailCanonical',
  lastName: 'u.lastName',
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The free-form jsonb `metadata` is beyond TypeORM's deep-partial write type; a shallow partial is exact. */
const writable = (values: QueryPartialEntity<User>) => values as QueryDeepPartialEntity<User>;

const duplicateEmail = () => Errors.conflict('A user with this email already exists in the account.');

@Injectable()
export class UsersService implements AccountMembers, TokenCreators, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly clock: Clock,
    private readonly events: EventLogsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly resetTokens: ResetTokensService,
    private readonly mail: MailService,
    private readonly personalAccessTokens: PersonalAccessTokensService,
    private readonly accounts: AccountsService,
  ) {}

  onModuleInit(): void {
    this.accounts.registerMembers(this);
    this.personalAccessTokens.registerCreators(this);
  }

  /** The user with this id in this account, or 404: another tenant's user does not exist for the caller. */
  async findInAccount(accountId: string, id: string, manager: EntityManager = this.users.manager): Promise<User> {
    const user = await this.findOneInAccount(accountId, id, manager);
    if (!user) throw Errors.notFound('User');
    return user;
  }

  /** The user with this id in this account, or null. */
  async findOneInAccount(
    accountId: string,
    id: string,
    manager: EntityManager = this.users.manager,
  ): Promise<User | null> {
    // Plain SQL: TypeORM's find* costs more CPU than the lookup itself on GET /v3/users/:id.
    const rows: UserRow[] = await manager.query(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.account_id = $2`,
      [id, accountId],
    );
    return rows.length === 0 ? null : userFromRow(rows[0]);
  }

  /** The id of the user with this canonical email in this account, or null. */
  async findIdByEmail(
    accountId: string,
    emailCanonical: string,
    manager: EntityManager = this.users.manager,
  ): Promise<string | null> {
    const user = await manager.findOne(User, { select: { id: true }, where: { accountId, emailCanonical } });
    return user?.id ?? null;
  }

  /** The user's argon2id hash (never loaded with the entity); null when none is set or no such user. */
  async passwordHashOf(
    id: string,
    accountId: string,
    manager: EntityManager = this.users.manager,
  ): Promise<string | null> {
    const user = await manager.findOne(User, {
      select: { id: true, passwordHash: true },
      where: { id, accountId },
    });
    return user?.passwordHash ?? null;
  }

  /**
   * Stores a new password hash in `manager`'s transaction and stamps when it changed. The UPDATE also locks the row
   * for the rest of the transaction (as lockInAccount does); false when the user is not in this account, or, given
   * `replacing`, when its hash is no longer that one (the password changed since the caller checked it).
   */
  async setPasswordHash(
    id: string,
    accountId: string,
    passwordHash: string,
    manager: EntityManager,
    replacing?: string,
  ): Promise<boolean> {
    const now = this.clock.now();
    // Plain SQL: on the measured reset hot path (BENCHMARKS.md `reset`), one statement without an entity load.
    const [, count]: [unknown, number] =
      replacing === undefined
        ? await manager.query(
            `UPDATE users SET password_hash = $3, password_changed_at = $4, updated_at = $4 WHERE id = $1 AND account_id = $2`,
            [id, accountId, passwordHash, now],
          )
        : await manager.query(
            `UPDATE users SET password_hash = $3, password_changed_at = $4, updated_at = $4
              WHERE id = $1 AND account_id = $2 AND password_hash = $5`,
            [id, accountId, passwordHash, now, replacing],
          );
    return count === 1;
  }

  /**
   * Locks the user's row for the rest of `manager`'s transaction; null when the user is not in this account.
   * Reset-token issuing and consuming serialise on it.
   */
  async lockInAccount(id: string, accountId: string, manager: EntityManager): Promise<{ role: UserRole } | null> {
    // Plain SQL: one column under FOR UPDATE on the measured reset hot paths (BENCHMARKS.md `issue`, `reset`).
    const rows: { role: UserRole }[] = await manager.query(
      `SELECT role FROM users WHERE id = $1 AND account_id = $2 FOR UPDATE`,
      [id, accountId],
    );
    return rows[0] ?? null;
  }

  /** The user's role under a share lock for the rest of `manager`'s transaction (TokenCreators); null: not here. */
  async roleUnderShareLock(id: string, accountId: string, manager: EntityManager): Promise<UserRole | null> {
    const user = await manager.findOne(User, {
      select: { id: true, role: true },
      where: { id, accountId },
      lock: { mode: 'pessimistic_read' },
    });
    return user?.role ?? null;
  }

  async create(principal: Principal, dto: CreateUserDto, ctx: RequestContext): Promise<UserResponseDto> {
    const role = dto.role ?? 'user';
    if (role === 'admin' && !isAdminSession(principal))
      throw Errors.forbidden('Only an admin session may create an admin.');
    let passwordHash: string | null = null;
    if (dto.password !== undefined) {
      const account = await this.accounts.findByIdOrFail(principal.accountId);
      const password = await this.policy.assertAcceptable(dto.password, {
        minLength: account.minPasswordLength,
        email: dto.email,
        firstName: dto.firstName,
        lastName: dto.lastName,
        accountName: account.name,
      });
      passwordHash = await this.hasher.hash(password);
    }
    const now = this.clock.now();
    try {
      const user = await this.dataSource.transaction(async (m) => {
        const { identifiers } = await m.insert(
          User,
          writable({
            accountId: principal.accountId,
            email: dto.email,
            emailCanonical: canonicalEmail(dto.email),
            firstName: dto.firstName,
            lastName: dto.lastName,
            role,
            company: dto.company ?? null,
            locale: dto.locale ?? null,
            metadata: dto.metadata ?? {},
            passwordHash,
            createdAt: now,
            updatedAt: now,
            passwordChangedAt: passwordHash ? now : null,
          }),
        );
        const id = identifiers[0].id as string;
        await this.events.record(
          {
            ...byPrincipal(principal, ctx),
            action: 'user.created',
            targetUserId: id,
            data: { role, withPassword: passwordHash !== null },
          },
          m,
        );
        return this.findInAccount(principal.accountId, id, m);
      });
      return UserResponseDto.from(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEmail();
      throw err;
    }
  }

  async list(accountId: string, q: ListUsersQueryDto): Promise<{ items: UserResponseDto[]; total: number }> {
    const qb = this.users.createQueryBuilder('u').where('u.accountId = :accountId', { accountId });
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.email !== undefined) qb.andWhere('u.emailCanonical = :email', { email: canonicalEmail(q.email) });
    if (q.search) {
      const pattern = `%${escapeLike(q.search)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where(`u.email ILIKE :pattern ESCAPE '\\'`, { pattern })
            .orWhere(`u.firstName ILIKE :pattern ESCAPE '\\'`)
            .orWhere(`u.lastName ILIKE :pattern ESCAPE '\\'`)
            .orWhere(`u.company ILIKE :pattern ESCAPE '\\'`),
        ),
      );
    }
    const sort: UserSort = q.sort ?? '-createdAt';
    const descending = sort.startsWith('-');
    qb.orderBy(SORT_COLUMNS[descending ? sort.slice(1) : sort], descending ? 'DESC' : 'ASC')
      // Equal sort keys still page deterministically.
      .addOrderBy('u.id', 'ASC')
      .offset(skipOf(q))
      .limit(q.limit ?? 20);
    const [users, total] = await qb.getManyAndCount();
    return { items: users.map((u) => UserResponseDto.from(u)), total };
  }

  async get(accountId: string, id: string): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.findInAccount(accountId, id));
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto, ctx: RequestContext): Promise<UserResponseDto> {
    const given = Object.entries(dto).filter(([, v]) => v !== undefined) as [keyof UpdateUserDto, unknown][];
    // The guard let a caller without user:write through only as the user itself.
    if (!principal.scopes.has('user:write')) {
      const denied = given.map(([k]) => k).filter((k) => !SELF_EDITABLE.has(k));
      if (denied.length) throw Errors.forbidden(`You may not change your own ${denied.join(', ')}.`);
    }
    try {
      const user = await this.dataSource.transaction(async (m) => {
        // Role changes of one account run one after another (lockAdmins), so concurrent demotions queue up.
        const admins = dto.role !== undefined ? await this.lockAdmins(principal.accountId, m) : null;
        const user = await m.findOne(User, {
          where: { id, accountId: principal.accountId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!user) throw Errors.notFound('User');

        const changes: Partial<User> = {};
        for (const [field, value] of given) {
          const current = user[field];
          const same = field === 'metadata' ? JSON.stringify(current) === JSON.stringify(value) : current === value;
          if (!same) Object.assign(changes, { [field]: value });
        }
        const changed = Object.keys(changes);
        if (changed.length === 0) return user;
        // A new spelling of the same canonical form (case, NFC, IDNA) is stored, but is no email change.
        const emailCanonical = changes.email === undefined ? undefined : canonicalEmail(changes.email);
        const emailChanged = emailCanonical !== undefined && emailCanonical !== user.emailCanonical;

        if (changes.role === 'admin' && !isAdminSession(principal))
          throw Errors.forbidden('Only an admin session may promote a user to admin.');
        if (emailChanged && user.role === 'admin' && !isAdminSession(principal))
          throw Errors.forbidden("Only an admin session may change an admin's email.");
        const demoted = user.role === 'admin' && changes.role === 'user';
        // Demoting an admin strips a human of the account, like deleting one: a leaked PAT must not.
        if (demoted && !isAdminSession(principal)) throw Errors.forbidden('Only an admin session may demote an admin.');
        if (demoted && admins!.filter((a) => a !== user.id).length === 0)
          throw Errors.conflict('The account must keep at least one admin.');

        await m.update(
          User,
          { id: user.id, accountId: user.accountId },
          writable({ ...changes, ...(emailCanonical && { emailCanonical }), updatedAt: this.clock.now() }),
        );
        if (demoted) {
          // A PAT acts for an admin: it must not outlive its creator's admin role.
          await this.personalAccessTokens.revokeAllOf(user.id, m);
        }
        // An email or role change (of value) kills the user's reset tokens, under the row lock taken above:
        // a token delegated to a portal for a `user` must not outlive that role.
        if (emailChanged || changes.role !== undefined) await this.resetTokens.revokeAllFor(user.id, m);
        if (emailChanged) {
          // Always, to the previous address: whoever moved the email must not silence the owner.
          const account = await this.accounts.findByIdOrFail(user.accountId, m);
          await this.mail.enqueue({ event: 'user.email-changed', account, user, newEmail: changes.email }, m);
        }
        await this.events.record(
          {
            ...byPrincipal(principal, ctx),
            action: 'user.updated',
            targetUserId: user.id,
            data: { fields: changed },
          },
          m,
        );
        return this.findInAccount(principal.accountId, user.id, m);
      });
      return UserResponseDto.from(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEmail();
      throw err;
    }
  }

  async remove(principal: Principal, id: string, ctx: RequestContext): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const admins = await this.lockAdmins(principal.accountId, m);
      const user = await m.findOne(User, {
        where: { id, accountId: principal.accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw Errors.notFound('User');
      if (user.role === 'admin') {
        if (!isAdminSession(principal)) throw Errors.forbidden('Only an admin session may delete an admin.');
        if (admins.filter((a) => a !== user.id).length === 0)
          throw Errors.conflict('The account must keep at least one admin.');
      }
      // Sessions, PATs and reset tokens go with the row (ON DELETE CASCADE).
      await m.delete(User, { id: user.id, accountId: user.accountId });
      await this.events.record(
        {
          ...byPrincipal(principal, ctx),
          action: 'user.deleted',
          targetUserId: user.id,
          data: { role: user.role },
        },
        m,
      );
    });
  }

  /** The addresses of the account's admins, for notices every admin must get (e.g. about webhooks). */
  async adminEmails(accountId: string, manager: EntityManager = this.users.manager): Promise<string[]> {
    const admins = await manager.getRepository(User).find({
      select: { email: true },
      where: { accountId, role: 'admin' },
      order: { email: 'ASC' },
    });
    return admins.map((u) => u.email);
  }

  /**
   * The user in this account with its account and the account's saved reset link templates, in one statement; 404
   * like findInAccount. For issuing a reset token (BENCHMARKS.md `issue`).
   */
  async findWithAccount(
    accountId: string,
    id: string,
  ): Promise<{ user: UserBrief; account: AccountBrief; linkTemplates: SavedLinkTemplate[] }> {
    const found = await this.withAccount(accountId, id);
    if (!found) throw Errors.notFound('User');
    return found;
  }

  /**
   * What reset-token issuance reads of the user, its account and the account's saved reset link templates, in one
   * statement; null when not found.
   */
  async withAccount(
    accountId: string,
    id: string,
  ): Promise<{ user: UserBrief; account: AccountBrief; linkTemplates: SavedLinkTemplate[] } | null> {
    // One round trip on the issue hot path; each owner supplies its columns (ACCOUNT_BRIEF_COLUMNS_AS_A, RESET_LINK_TEMPLATES_SQL).
    const found = await this.briefWithAccount<SavedLinkTemplate>(RESET_LINK_TEMPLATES_SQL, accountId, id);
    return found && { user: found.user, account: found.account, linkTemplates: found.templates };
  }

  /**
   * What reset-password reads of the user, its account and the account's saved password-changed templates for the
   * user's locale, in one statement (MailService.enqueuePasswordChanged takes them); null when not found.
   */
  async withAccountAndPasswordChangedTemplates(
    accountId: string,
    id: string,
  ): Promise<{ user: UserBrief; account: AccountBrief; templates: SavedTemplate[] } | null> {
    // One round trip on the reset hot path instead of two, the template lookup no longer inside the transaction.
    return this.briefWithAccount<SavedTemplate>(PASSWORD_CHANGED_TEMPLATES_SQL, accountId, id);
  }

  /**
   * The user's USER_BRIEF_COLUMNS, its account's ACCOUNT_BRIEF_COLUMNS_AS_A and the `templatesSql` subquery, in one
   * plain statement: only what the reset routes, their links and their emails read (23 columns of the user and the
   * account took 30 µs more of the event loop per statement than these, measured).
   */
  private async briefWithAccount<T>(
    templatesSql: string,
    accountId: string,
    id: string,
  ): Promise<{ user: UserBrief; account: AccountBrief; templates: T[] } | null> {
    const rows: (UserRow & AccountBriefRowAsA & { a_templates: T[] | string })[] = await this.users.manager.query(
      `SELECT ${USER_BRIEF_COLUMNS}, ${ACCOUNT_BRIEF_COLUMNS_AS_A}, ${templatesSql} AS a_templates
         FROM users u JOIN accounts a ON a.id = u.account_id
        WHERE u.id = $1 AND u.account_id = $2`,
      [id, accountId],
    );
    const row = rows[0];
    if (!row) return null;
    // PostgreSQL's driver parses json; PGlite's may hand it over as text.
    const templates = typeof row.a_templates === 'string' ? (JSON.parse(row.a_templates) as T[]) : row.a_templates;
    return { user: userBriefFromRow(row), account: accountBriefFromRow(row.account_id, row), templates };
  }

  /** Sign-up's first admin (AccountMembers), in the account's transaction. */
  async createFirstAdmin(admin: FirstAdmin, manager: EntityManager): Promise<User> {
    // Plain SQL (BENCHMARKS.md `signup`): one INSERT … RETURNING, not TypeORM's save and its subject executor.
    const rows: UserRow[] = await manager.query(
      `INSERT INTO users AS u (account_id, email, email_canonical, first_name, last_name, role, password_hash,
                               password_changed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'admin', $6, $7, $7, $7) RETURNING ${USER_COLUMNS}`,
      [
        admin.accountId,
        admin.email,
        canonicalEmail(admin.email),
        admin.firstName,
        admin.lastName,
        admin.passwordHash,
        admin.now,
      ],
    );
    return userFromRow(rows[0]);
  }

  /** Login's lookup (AccountMembers): the account by alias and its user by canonical email, in one statement. */
  async findLoginCandidate(alias: string, emailCanonical: string): Promise<LoginCandidate | undefined> {
    // Plain SQL, reading accounts in the same statement: one round trip on the login hot path (BENCHMARKS.md `login`).
    const rows: { id: string | null; account_exists: string; password_hash: string | null }[] =
      await this.users.manager.query(
        `SELECT u.id, u.account_id, a.id AS account_exists, u.password_hash
           FROM accounts a LEFT JOIN users u ON u.account_id = a.id AND u.email_canonical = $2
          WHERE a.alias = $1`,
        [alias, emailCanonical],
      );
    const row = rows[0];
    return row && { accountId: row.account_exists, userId: row.id, passwordHash: row.password_hash };
  }

  /**
   * Stamps a login (AccountMembers) in login's transaction, and locks the row for the rest of it: only while the user
   * still exists with the password hash the login was checked against (`passwordHash`). False when the user was
   * deleted or its password changed since: the login must not make a session.
   */
  async recordLogin(userId: string, passwordHash: string, at: Date, manager: EntityManager): Promise<boolean> {
    // Plain SQL: on the measured login hot path (BENCHMARKS.md `login`), one statement without an entity load.
    const [, count]: [unknown, number] = await manager.query(
      `UPDATE users SET last_login_at = $3 WHERE id = $1 AND password_hash = $2`,
      [userId, passwordHash, at],
    );
    return count === 1;
  }

  /**
   * The account's admins, for a change that may take one away (a demotion, a deletion). Such changes of one account run
   * one after another (a transaction-scoped advisory lock), so each counts the admins the previous one left. Locking
   * the admin rows instead did not order them: a promotion committed between two lockers' reads gave them different
   * sets, one locked the new admin's row as an admin and the other as its target, and PostgreSQL ended one in a
   * deadlock (a 500).
   */
  private async lockAdmins(accountId: string, m: EntityManager): Promise<string[]> {
    await lockForTransaction(m, `admins:${accountId}`);
    const admins = await m.find(User, { select: { id: true }, where: { accountId, role: 'admin' } });
    return admins.map((a) => a.id);
  }
}
