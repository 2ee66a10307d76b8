import { describe, expect, it } from '@jest/globals';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  registerDecorator,
  ValidateIf,
} from 'class-validator';
import { ApiError } from './api-error.js';
import { LoginDto } from '../accounts/dto/login.dto.js';
import { CreateUserDto } from '../users/dto/create-user.dto.js';
import { PaginationQueryDto } from './pagination.dto.js';
import { AppValidationPipe } from './validation.pipe.js';

/** Every value a rule was asked about, so a test can see which rules ran. */
const seen: unknown[] = [];
function Costly(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'costly',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => {
          seen.push(value);
          return true;
        },
      },
    });
}

class BoundedDto {
  // The bound below the format check, and above it: order does not matter.
  @IsEmail()
  @Costly()
  @MaxLength(20)
  email: string;

  @MaxLength(20)
  @Costly()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  name: string;

  @IsOptional()
  @Costly()
  @Length(2, 5)
  code?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @Costly()
  @MaxLength(3, { each: true })
  tags?: string[];

  @ValidateIf((o: BoundedDto) => o.name === 'checked')
  @MaxLength(3, { message: 'note is too long for $property ($constraint1)' })
  @Costly()
  note?: string;
}

const pipe = new AppValidationPipe();
const run = (body: unknown) => pipe.transform(body, { type: 'body', metatype: BoundedDto });
async function refusal(body: unknown): Promise<ApiError> {
  seen.length = 0;
  const err = await run(body).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('AppValidationPipe: size bounds first', () => {
  const huge = `${'a'.repeat(1_000_000)}@example.test`;

  it('refuses a value past its bound before any other rule of any field runs', async () => {
    const err = await refusal({ email: huge, name: 'Ada' });
    expect(err.toBody()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request is not valid.',
      code: 'VALIDATION_FAILED',
      details: [{ field: 'email', message: 'email must be shorter than or equal to 20 characters' }],
    });
    expect(seen).toEqual([]);
  });

  it('reports every field past its bound, with the rule’s own message and never the value', async () => {
    const err = await refusal({ email: huge, name: 'n'.repeat(21), code: 'toolong', tags: ['a', 'b', 'c'] });
    expect(err.details).toEqual([
      { field: 'email', message: 'email must be shorter than or equal to 20 characters' },
      { field: 'name', message: 'name must be shorter than or equal to 20 characters' },
      { field: 'code', message: 'code must be shorter than or equal to 5 characters' },
      { field: 'tags', message: 'tags must contain no more than 2 elements' },
    ]);
    expect(seen).toEqual([]);
  });

  it('checks each item of an array against an `each` bound', async () => {
    const err = await refusal({ email: 'a@b.test', name: 'Ada', tags: ['ok', 'x'.repeat(5000)] });
    expect(err.details).toEqual([
      { field: 'tags', message: 'each value in tags must be shorter than or equal to 3 characters' },
    ]);
    expect(seen).toEqual([]);
  });

  it('uses a custom message as class-validator would', async () => {
    const err = await refusal({ email: 'a@b.test', name: 'checked', note: 'long note' });
    expect(err.details).toEqual([{ field: 'note', message: 'note is too long for note (3)' }]);
  });

  it('measures a value as it was sent: whitespace a transform would trim counts (API.md: the bound first)', async () => {
    const err = await refusal({ email: 'a@b.test', name: `${'n'.repeat(20)} ` });
    expect(err.details).toEqual([{ field: 'name', message: 'name must be shorter than or equal to 20 characters' }]);
    expect(seen).toEqual([]);
    const padded = (await run({ email: 'a@b.test', name: `  ${'n'.repeat(16)}  ` })) as BoundedDto;
    expect(padded.name).toBe('n'.repeat(16));
  });

  it('refuses only what full validation refuses: a minimum and a skipped field pass on', async () => {
    seen.length = 0;
    const dto = (await run({
      email: 'a@b.test',
      name: 'n'.repeat(20),
      note: 'unchecked and long',
    })) as BoundedDto;
    expect(dto.name).toBe('n'.repeat(20));
    expect(seen.length).toBeGreaterThan(0);
    // Too short is left to full validation, which reports it with every other problem of the body.
    const err = await refusal({ email: 'not an email', name: 'Ada', code: 'x' });
    expect(err.details?.map((d) => d.field).sort()).toEqual(['code', 'email']);
  });

  it('counts code points, as MaxLength does', async () => {
    await expect(run({ email: 'a@b.test', name: '😀'.repeat(20) })).resolves.toBeInstanceOf(BoundedDto);
    const err = await refusal({ email: 'a@b.test', name: '😀'.repeat(21) });
    expect(err.details?.[0].field).toBe('name');
  });
});

describe('AppValidationPipe: unknown fields', () => {
  it('names every unknown field of an ordinary body, beside the other problems', async () => {
    const err = await refusal({ email: 'not an email', name: 'Ada', extra: 1, other: 2 });
    expect(err.details).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: 'extra is not a known field' },
        { field: 'other', message: 'other is not a known field' },
        expect.objectContaining({ field: 'email' }),
      ]),
    );
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'names an unknown field %p, which the transform would drop unseen',
    async (key) => {
      // As a query string parser makes it: an object without a prototype, where `__proto__` is an own key too.
      const body: Record<string, unknown> = Object.assign(Object.create(null) as object, {
        email: 'a@b.test',
        name: 'Ada',
      });
      body[key] = 'x';
      const err = await refusal(body);
      expect(err.details).toEqual([{ field: key, message: `${key} is not a known field` }]);
    },
  );

  it('refuses a flood of unknown fields before any rule runs, naming only the first 20', async () => {
    // 9,000 fields fit in 100 KB: one detail each made a 511 KB answer and held the event loop for 50 ms.
    const body: Record<string, unknown> = { email: 'a@b.test', name: 'Ada' };
    for (let i = 0; i < 9000; i++) body[`f${i}`] = 1;
    const err = await refusal(body);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toHaveLength(21);
    expect(err.details?.slice(0, 2)).toEqual([
      { field: 'f0', message: 'f0 is not a known field' },
      { field: 'f1', message: 'f1 is not a known field' },
    ]);
    expect(err.details?.[20]).toEqual({
      field: 'body',
      message: 'The body has 9000 unknown fields; the first 20 are listed.',
    });
    expect(seen).toEqual([]);
  });
});

describe('AliasInput (login, reset request): at most 40 characters as sent, trimmed and lower-cased to match', () => {
  const alias40 = `a${'b'.repeat(38)}c`;
  const login = (accountAlias: string) =>
    pipe.transform({ accountAlias, email: 'ada@example.com', password: 'x' }, { type: 'body', metatype: LoginDto });

  it.each([alias40, ` ${alias40.slice(1)}`, `${alias40.slice(2)}  `, `\t${alias40.slice(2)}\n`])(
    'accepts %p',
    async (accountAlias) => {
      await expect(login(accountAlias)).resolves.toBeInstanceOf(LoginDto);
    },
  );

  it.each([`${alias40}d`, ` ${alias40}`, `${alias40} `, ` ${'a'.repeat(1000)} `, `a${' '.repeat(1000)}`])(
    'refuses %p',
    async (accountAlias) => {
      const err = (await login(accountAlias).catch((e: unknown) => e)) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      expect(err.details).toEqual([{ field: 'accountAlias', message: 'accountAlias must be at most 40 characters' }]);
    },
  );
});

describe('NameField: at most 100 characters as sent, then trimmed', () => {
  const create = (firstName: string) =>
    pipe.transform(
      { email: 'ada@example.com', firstName, lastName: 'Lovelace' },
      { type: 'body', metatype: CreateUserDto },
    );

  it('refuses a name past 100 characters only because of whitespace the transform would trim', async () => {
    for (const firstName of [`${'n'.repeat(100)} `, `a${' '.repeat(5000)}`, `${' '.repeat(101)}a`]) {
      const err = (await create(firstName).catch((e: unknown) => e)) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      expect(err.details).toEqual([{ field: 'firstName', message: 'firstName must be 1 to 100 characters' }]);
    }
  });

  it('trims a padded name within the bound', async () => {
    const dto = (await create(` ${'n'.repeat(98)} `)) as CreateUserDto;
    expect(dto.firstName).toBe('n'.repeat(98));
  });
});

describe('AppValidationPipe: a value of the wrong type', () => {
  const query = (value: object) => pipe.transform(value, { type: 'query', metatype: PaginationQueryDto });

  it('is told its type only, not every range rule that a non-number also breaks', async () => {
    for (const limit of ['abc', '2.5', ['1', '2']]) {
      const err = await query({ limit }).then(
        () => null,
        (e: unknown) => e as ApiError,
      );
      expect(err?.toBody().details).toEqual([{ field: 'limit', message: 'limit must be an integer number' }]);
    }
  });

  it('a number out of range is still told its range', async () => {
    const err = await query({ limit: '101', page: '0' }).then(
      () => null,
      (e: unknown) => e as ApiError,
    );
    expect(err?.toBody().details).toEqual([
      { field: 'page', message: 'page must not be less than 1' },
      { field: 'limit', message: 'limit must not be greater than 100' },
    ]);
  });

  it('a string field given a number is told it must be a string, not its length', async () => {
    const err = await run({ email: 'a@b.co', name: 12345 }).then(
      () => null,
      (e: unknown) => e as ApiError,
    );
    expect(err?.toBody().details).toEqual([{ field: 'name', message: 'name must be a string' }]);
  });
});
