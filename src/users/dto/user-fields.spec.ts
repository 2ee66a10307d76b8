import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CreateUserDto } from './create-user.dto.js';
import { UpdateUserDto } from './update-user.dto.js';
import { metadataProblem } from './user-fields.js';

const base = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };

async function check<T extends object>(cls: new () => T, body: Record<string, unknown>) {
  const dto = plainToInstance(cls, body);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, fields: errors.map((e) => e.property) };
}

describe('user fields', () => {
  it.each([
    ['de', 'de'],
    ['pt-br', 'pt-BR'],
    [' PT-BR ', 'pt-BR'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
  ])('locale %j is accepted as %j', async (given, stored) => {
    const { dto, fields } = await check(CreateUserDto, { ...base, locale: given });
    expect(fields).toEqual([]);
    expect(dto.locale).toBe(stored);
  });

  it.each(['english', 'en_US', 'e', 'en-US-u-ca-buddhist', 'x-private', '', 'de-', 'en-USA'])(
    'locale %j is refused',
    async (locale) => {
      expect((await check(CreateUserDto, { ...base, locale })).fields).toEqual(['locale']);
    },
  );

  it('trims the email and names, and refuses names that are only spaces', async () => {
    const { dto, fields } = await check(CreateUserDto, { ...base, email: ' ada@example.com  ', firstName: ' Ada ' });
    expect(fields).toEqual([]);
    expect(dto.email).toBe('ada@example.com');
    expect(dto.firstName).toBe('Ada');
    expect((await check(CreateUserDto, { ...base, lastName: '  ' })).fields).toEqual(['lastName']);
  });

  it('stores the email NFC-normalised and refuses control and format characters in it and in names', async () => {
    expect((await check(CreateUserDto, { ...base, email: 'jose\u0301@example.com' })).dto.email).toBe(
      'jos\u00e9@example.com',
    );
    for (const email of ['ada@example.com\n', 'a\u200bda@example.com', '\ufeffada@example.com'])
      expect((await check(CreateUserDto, { ...base, email })).fields).toEqual(['email']);
    for (const firstName of ['A\u202eda', 'A\u0007da', 'x'.repeat(101)])
      expect((await check(CreateUserDto, { ...base, firstName })).fields).toEqual(['firstName']);
    expect((await check(CreateUserDto, { ...base, company: 'x'.repeat(101) })).fields).toEqual(['company']);
    expect((await check(CreateUserDto, { ...base, company: '' })).fields).toEqual([]);
  });

  it("checks an email's length before anything else looks at it", async () => {
    const { fields, dto } = await check(CreateUserDto, { ...base, email: `${'\u0301'.repeat(300_000)}@x.test` });
    expect(fields).toEqual(['email']);
    // Left as sent: too long to be normalised.
    expect(dto.email).toHaveLength(300_007);
  });

  it('bounds metadata by keys and serialized size', () => {
    expect(metadataProblem({ a: 1, nested: { b: [1, 2] } })).toBeNull();
    expect(metadataProblem(Object.fromEntries([...Array(50).keys()].map((i) => [`k${i}`, i])))).toBeNull();
    expect(metadataProblem(Object.fromEntries([...Array(51).keys()].map((i) => [`k${i}`, i])))).toMatch(/50 keys/);
    expect(metadataProblem({ s: 'é'.repeat(2100) })).toMatch(/4096 bytes/);
    for (const bad of [null, [], 'x', 3]) expect(metadataProblem(bad)).toMatch(/JSON object/);
  });

  it('an update may clear company and locale but not null a required field', async () => {
    expect((await check(UpdateUserDto, { company: null, locale: null })).fields).toEqual([]);
    expect((await check(UpdateUserDto, {})).fields).toEqual([]);
    for (const field of ['email', 'firstName', 'lastName', 'role', 'metadata'])
      expect((await check(UpdateUserDto, { [field]: null })).fields).toEqual([field]);
    expect((await check(UpdateUserDto, { password: 'x' })).fields).toEqual(['password']);
  });
});
