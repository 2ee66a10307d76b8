import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform, type TransformFnParams } from 'class-transformer';
import { isEmail, registerDecorator } from 'class-validator';
import type { LengthBound } from './validation.pipe.js';
import {
  canonicalEmail,
  emailProblem,
  IdentifierError,
  lengthProblem,
  MAX_EMAIL_LENGTH,
  MAX_NAME_LENGTH,
  NAME_PATTERN,
  nameProblem,
  NO_CONTROL_PATTERN,
  storedEmail,
  trimmedName,
} from './identifiers.js';

/** The stored form of a string that has one; anything else is left for the validator to refuse. */
const toStoredEmail = ({ value }: TransformFnParams): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return storedEmail(value);
  } catch (err) {
    if (err instanceof IdentifierError) return value;
    throw err;
  }
};

const trim = ({ value }: TransformFnParams): unknown => (typeof value === 'string' ? value.trim() : value);

/** A string field trimmed (JavaScript's trim()) before it is validated; anything else is left for the validator. */
export const Trimmed = (): PropertyDecorator => Transform(trim);

/**
 * One validator with its checks in order, so a cheap one (the length) guards the costly ones. With `maxLength`, the
 * validation pipe also checks that bound on the value as it was sent, before any transform (trimming) or rule runs.
 */
function ordered(
  name: string,
  problem: (value: unknown, field: string) => string | null,
  maxLength?: number,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: maxLength === undefined ? [] : [{ maxLength } satisfies LengthBound],
      validator: {
        validate: (value: unknown, args) => problem(value, args?.property ?? String(propertyName)) === null,
        defaultMessage: (args) => problem(args?.value, args?.property ?? String(propertyName)) ?? `${name} failed`,
      },
    });
}

/**
 * An email field (API.md "Users"): at most 254 characters, no control or format character, a
 * domain UTS #46 accepts and, with `syntax` (where an email is stored), an address by `isEmail`,
 * checked in that order. The value becomes its stored form (ASCII-trimmed, NFC); services take the
 * canonical form from canonicalEmail().
 */
export function EmailField({ syntax }: { syntax: boolean }): PropertyDecorator {
  return applyDecorators(
    Transform(toStoredEmail),
    ordered(
      'isEmailField',
      (value, field) => {
        const problem = emailProblem(value);
        if (problem !== null) return problem.replace(/^email/, field);
        // The syntax of the address as it is matched and sent: its domain in ASCII (UTS #46 maps `ｅｘａｍｐｌｅ．com`
        // and `bücher.example` to names a DNS resolver knows; API.md: only a domain it refuses is 400).
        if (syntax && !isEmail(canonicalEmail(value as string))) return `${field} must be an email`;
        return null;
      },
      MAX_EMAIL_LENGTH,
    ),
    // Where nothing is stored (login, reset request, the filter) any other text is matched, and finds no one.
    ApiProperty({ maxLength: MAX_EMAIL_LENGTH, pattern: NO_CONTROL_PATTERN, ...(syntax ? { format: 'email' } : {}) }),
  );
}

/**
 * A name (account `name`, `firstName`, `lastName`, `company`, a template's `fromName`): trimmed of whitespace,
 * `min` to 100 characters (code points), no control or format character anywhere (one at an end is refused, not
 * trimmed away) — names end up in emails and headers.
 */
export function NameField({ min = 1, trimmed = true }: { min?: number; trimmed?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ...(trimmed
      ? [Transform(({ value }: TransformFnParams) => (typeof value === 'string' ? trimmedName(value) : value))]
      : []),
    ordered('isName', (value, field) => nameProblem(field, value, min), MAX_NAME_LENGTH),
    ApiProperty({
      minLength: min,
      maxLength: MAX_NAME_LENGTH,
      pattern: trimmed && min > 0 ? NAME_PATTERN : NO_CONTROL_PATTERN,
    }),
  );
}

/** The longest alias (API.md: 3–40 of a-z, 0-9 and -). */
export const MAX_ALIAS_LENGTH = 40;

/**
 * An account alias as typed at login or in a reset request: a string of `min` to 40 code points as it was sent
 * (API.md: a field's length bound is checked before any other validation of it), which the service then trims and
 * lower-cases (canonicalAlias) before matching it. Lower-casing may lengthen it (`İ` becomes two code points), and
 * text that is no alias is simply no account's.
 */
export const AliasInput = ({ min }: { min: number }): PropertyDecorator =>
  applyDecorators(
    ordered('isAliasInput', (value, field) => lengthProblem(field, value, min, MAX_ALIAS_LENGTH), MAX_ALIAS_LENGTH),
    ApiProperty({ ...(min > 0 ? { minLength: min } : {}), maxLength: MAX_ALIAS_LENGTH }),
  );
