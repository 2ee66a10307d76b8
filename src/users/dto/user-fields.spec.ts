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
    const { dto, fields } = await check(CreateUserDto, { ...base, email: ' ada@example.com\n', firstName: ' Ada ' });
    expect(fields).toEqual([]);
    expect(dto.email).toBe('ada@example.com');
    expect(dto.firstName).toBe('Ada');
    expect((await check(CreateUserDto, { ...base, lastName: '  ' })).fields).toEqual(['lastName']);
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
