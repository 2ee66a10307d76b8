import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import {
  ARRAY_MAX_SIZE,
  arrayMaxSize,
  getMetadataStorage,
  IS_LENGTH,
  MAX_LENGTH,
  type ValidationArguments,
  ValidationError,
  ValidationTypes,
} from 'class-validator';
import { type ErrorDetail, Errors } from './api-error.js';
import { codePoints, hasLoneSurrogate } from './unicode.js';

/** What an unknown field is called in `details`, wherever it is refused. */
export const unknownFieldMessage = (field: string) => `${field} is not a known field`;

/** class-validator's rules on a value's type, whose failure makes a field's other rules meaningless. */
const TYPE_RULES: ReadonlySet<string> = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject']);

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    // class-validator's own words for an unknown field ("property x should not exist") name no field a client sent.
    const messages = Object.entries(e.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation' ? unknownFieldMessage(field) : message,
    );
    // An absent field breaks every rule it has; what is wrong is that it is missing. (Only a required field,
    // or one required in the absence of another, is validated when absent.)
    if (e.value === undefined && messages.length) {
      return [{ field, message: messages.find((m) => / is required$/.test(m)) ?? `${field} is required` }];
    }
    // A value of the wrong type breaks every rule of its field (`limit=abc` is neither ≥ 1 nor ≤ 100): its type is
    // what is wrong, so only the type's message is given.
    const typeRules = Object.keys(e.constraints ?? {}).filter((rule) => TYPE_RULES.has(rule));
    const told = typeRules.length ? typeRules.map((rule) => e.constraints![rule]) : messages;
    const own = told.map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Deeper JSON than any DTO needs is refused before a recursive validator could overflow the stack. */
const MAX_JSON_DEPTH = 32;

/**
 * The body fields of each DTO whose text is judged as a credential (CredentialText), by class, own fields only.
 */
const credentialFields = new WeakMap<object, Set<string>>();

/**
 * A field judged as a credential: text in it that is not well-formed UTF-16 (a lone surrogate) is left to the route,
 * which answers it as the contract says for a wrong or weak credential (401 at login, WRONG_PASSWORD, WEAK_PASSWORD),
 * instead of as a malformed body. Everywhere else such text is 400 VALIDATION_FAILED before any rule runs.
 */
export function CredentialText(): PropertyDecorator {
  return (target, propertyName) => {
    const fields = credentialFields.get(target.constructor) ?? new Set<string>();
    fields.add(String(propertyName));
    credentialFields.set(target.constructor, fields);
  };
}

/** The credential fields of a DTO class and the classes it extends, looked up once per class (as metadatasOf does). */
const credentialFieldsByClass = new WeakMap<object, ReadonlySet<string>>();
function credentialFieldsOf(metatype: object): ReadonlySet<string> {
  let all = credentialFieldsByClass.get(metatype);
  if (!all) {
    const found = new Set<string>();
    for (let c: object | null = metatype; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as object | null)
      for (const f of credentialFields.get(c) ?? []) found.add(f);
    credentialFieldsByClass.set(metatype, (all = found));
  }
  return all;
}

/**
 * The first problem class-validator must not meet: nesting past MAX_JSON_DEPTH; a NUL character in a string or key
 * (PostgreSQL refuses it in text and JSON); text that is not well-formed UTF-16 (a lone surrogate: PostgreSQL's JSON
 * refuses it, its text would store U+FFFD in its place, and an email check throws on it), except in the top-level
 * `credentials` fields; a number JSON cannot hold (`1e309` parses as Infinity, which JSON would store as null).
 * Iterative, so depth costs no stack.
 */
function findUnsafeJson(value: unknown, credentials: ReadonlySet<string>): string | null {
  const stack: { v: unknown; depth: number; credential: boolean }[] = [{ v: value, depth: 0, credential: false }];
  while (stack.length) {
    const { v, depth, credential } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'Strings must not contain NUL characters.';
      if (!credential && hasLoneSurrogate(v))
        return 'Strings must be well-formed Unicode: a lone surrogate (U+D800 to U+DFFF without its pair) is not text.';
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'Numbers must be finite: a number this large cannot be stored.';
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted.`;
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return 'Keys must not contain NUL characters.';
        if (hasLoneSurrogate(k)) return 'Keys must be well-formed Unicode: a lone surrogate is not text.';
        stack.push({ v: child, depth: depth + 1, credential: depth === 0 && credentials.has(k) });
      }
    }
  }
  return null;
}

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** The constraint by which a custom rule of the project (identifier-fields.ts) states its length bound. */
export interface LengthBound {
  maxLength: number;
}

const isLengthBound = (c: unknown): c is LengthBound =>
  typeof c === 'object' && c !== null && typeof (c as LengthBound).maxLength === 'number';

/**
 * The upper bound a size rule sets (MaxLength, Length's maximum, ArrayMaxSize, a project rule's LengthBound), or
 * undefined for any other rule.
 */
function upperBoundOf(meta: ValidationMetadata): { max: number; array: boolean } | undefined {
  if (meta.type !== ValidationTypes.CUSTOM_VALIDATION) return undefined;
  const [first, second] = (meta.constraints ?? []) as unknown[];
  if (isLengthBound(first)) return { max: first.maxLength, array: false };
  if (meta.name === MAX_LENGTH && typeof first === 'number') return { max: first, array: false };
  if (meta.name === IS_LENGTH && typeof second === 'number') return { max: second, array: false };
  if (meta.name === ARRAY_MAX_SIZE && typeof first === 'number') return { max: first, array: true };
  return undefined;
}

/**
 * Whether `value` is past `bound`. Strings are measured as they were sent (API.md: a field's length bound is checked
 * before any other validation of it, so whitespace that a transform would trim away counts too, as the OpenAPI
 * document's `maxLength` does), in code points, as `maxLength` counts (class-validator's own count skips variation
 * selectors, so `a\uFE0F` repeated would pass at twice the bound).
 */
function exceeds(value: unknown, bound: { max: number; array: boolean }): boolean {
  if (bound.array) return Array.isArray(value) && !arrayMaxSize(value, bound.max);
  if (typeof value !== 'string' || value.length <= bound.max) return false; // code points never outnumber code units
  return codePoints(value) > bound.max;
}

/** The message class-validator itself gives for this rule, without ever quoting the value. */
function messageOf(meta: ValidationMetadata, args: ValidationArguments): string {
  const constraint = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls)[0];
  const template: string =
    typeof meta.message === 'function'
      ? meta.message(args)
      : (meta.message ?? constraint?.instance.defaultMessage?.(args) ?? `${args.property} is too long`);
  return (args.constraints as unknown[])
    .reduce<string>((m, c, i) => m.replaceAll(`$constraint${i + 1}`, String(c)), template)
    .replaceAll('$property', args.property)
    .replaceAll('$target', args.targetName)
    .replaceAll('$value', '');
}

/**
 * A DTO's rules, looked up once per class: class-validator's lookup walks every registered class for the ones this
 * one extends (3–4 µs a call with the project's DTOs), and a class's decorators have all run before it can be
 * validated, so its rules do not change afterwards.
 */
const rulesByClass = new WeakMap<object, ValidationMetadata[]>();
function metadatasOf(metatype: abstract new (...args: never[]) => unknown): ValidationMetadata[] {
  let rules = rulesByClass.get(metatype);
  if (!rules) {
    rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
    rulesByClass.set(metatype, rules);
  }
  return rules;
}

/**
 * Every size bound of a DTO (MaxLength, Length, ArrayMaxSize, the project's names, emails and aliases), checked on the
 * input as it came, before class-transformer or any other rule of the field runs. class-validator runs all of a
 * property's rules whatever their order, so without this a format check (IsEmail, a pattern, a canonicalising
 * transform) would first spend its time on a megabyte string, and a trimming transform would hide what was sent. A
 * field whose conditions (IsOptional, ValidateIf) skip it is skipped here as well.
 */
function sizeBoundErrors(metatype: abstract new (...args: never[]) => unknown, plain: object): ValidationError[] {
  const metadatas = metadatasOf(metatype);
  const input = plain as Record<string, unknown>;
  const errors = new Map<string, ValidationError>();
  for (const meta of metadatas) {
    const bound = upperBoundOf(meta);
    const property = meta.propertyName;
    if (!bound || !Object.hasOwn(input, property) || errors.has(property)) continue;
    const value = input[property];
    const conditions = metadatas.filter(
      (m) => m.propertyName === property && m.type === ValidationTypes.CONDITIONAL_VALIDATION,
    );
    if (!conditions.every((m) => (m.constraints[0] as (o: object, v: unknown) => boolean)(input, value))) continue;
    if (meta.validateIf && !meta.validateIf(input, value)) continue;
    const items = meta.each && Array.isArray(value) ? (value as unknown[]) : [value];
    const over = items.find((item) => exceeds(item, bound));
    if (over === undefined) continue;
    const args: ValidationArguments = {
      targetName: metatype.name,
      property,
      object: input,
      value: over,
      constraints: meta.constraints,
    };
    const error = Object.assign(new ValidationError(), {
      property,
      value, // present, so flatten() reports the bound and not "is required"
      children: [],
      constraints: { [meta.name ?? 'maxLength']: messageOf(meta, args) },
    });
    errors.set(property, error);
  }
  return [...errors.values()];
}

/** At most this many unknown fields are named in one answer (no DTO has more than a dozen fields). */
export const MAX_UNKNOWN_FIELDS_LISTED = 20;

/** The `details` naming unknown fields, the first MAX_UNKNOWN_FIELDS_LISTED of them. */
export const unknownFieldDetails = (fields: readonly string[]): ErrorDetail[] =>
  fields.slice(0, MAX_UNKNOWN_FIELDS_LISTED).map((field) => ({ field, message: unknownFieldMessage(field) }));

/** A DTO's fields (those with a rule: class-validator's whitelist), looked up once per class. */
const knownFieldsByClass = new WeakMap<object, ReadonlySet<string>>();
function knownFieldsOf(metatype: abstract new (...args: never[]) => unknown): ReadonlySet<string> {
  let known = knownFieldsByClass.get(metatype);
  if (!known) knownFieldsByClass.set(metatype, (known = new Set(metadatasOf(metatype).map((m) => m.propertyName))));
  return known;
}

/**
 * A field class-transformer drops without a word, so that class-validator's whitelist never sees it: a name the DTO
 * inherits from Object.prototype (`constructor`, `toString`, `__proto__`, …) or any other method of the instance.
 */
const droppedByTransform = (metatype: abstract new (...args: never[]) => unknown, key: string): boolean =>
  key === '__proto__' || typeof (metatype.prototype as Record<string, unknown>)[key] === 'function';

/**
 * Unknown fields refused before class-transformer copies the input, or null to leave them to full validation, which
 * names them beside every other problem. A flood: 9,000 fields fit in 100 KB, and one detail each took the event
 * loop 50 ms and answered 511 KB, so the first fields are named and the rest counted. And a field the transform would
 * drop (`?constructor=x`, `{"toString": 1}`), which full validation would never see, so it would pass unrefused.
 */
function unknownFieldsRefusedFirst(
  metatype: abstract new (...args: never[]) => unknown,
  plain: object,
  where: string,
): ErrorDetail[] | null {
  const known = knownFieldsOf(metatype);
  const unknown = Object.keys(plain).filter((key) => !known.has(key));
  const listed = unknownFieldDetails(unknown);
  if (unknown.length > MAX_UNKNOWN_FIELDS_LISTED) {
    const count = `The ${where} has ${unknown.length} unknown fields; the first ${MAX_UNKNOWN_FIELDS_LISTED} are listed.`;
    return [...listed, { field: where, message: count }];
  }
  return unknown.some((key) => droppedByTransform(metatype, key)) ? listed : null;
}

/**
 * class-validator DTOs with unknown fields rejected, and failures in the contract's shape:
 * 400 VALIDATION_FAILED with one `details` entry per broken rule.
 *
 * Bound to the parameters that carry input to validate, `@Body(AppValidationPipe)` and `@Query(AppValidationPipe)`,
 * not globally: a global pipe also runs on every path id and every `@CurrentPrincipal()`, where it has nothing to
 * do, and Nest then awaits a chain of about eight promises per parameter (BENCHMARKS.md). A test checks that no
 * route's body or query goes without it (route-table.spec.ts).
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // `value` only tells an absent field from a wrong one; it never reaches the answer.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => Errors.validation(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto =
      metadata.metatype && !([String, Number, Boolean, Array, Object] as unknown[]).includes(metadata.metatype);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
        throw Errors.validation([{ field: metadata.type, message: `The ${metadata.type} must be a JSON object.` }]);
      }
      const problem = findUnsafeJson(value, credentialFieldsOf(metadata.metatype as object));
      if (problem) throw Errors.validation([{ field: metadata.type, message: problem }]);
      if (value) {
        const unknown = unknownFieldsRefusedFirst(
          metadata.metatype as abstract new () => unknown,
          value,
          metadata.type,
        );
        if (unknown) throw Errors.validation(unknown);
        const tooLong = sizeBoundErrors(metadata.metatype as abstract new () => unknown, value);
        if (tooLong.length) throw Errors.validation(flatten(tooLong));
      }
    }
    return super.transform(value, metadata);
  }
}
