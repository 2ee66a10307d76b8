import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { type ErrorDetail, Errors } from './api-error.js';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const messages = Object.values(e.constraints ?? {});
    // An absent field breaks every rule it has; what is wrong is that it is missing. (Only a required field,
    // or one required in the absence of another, is validated when absent.)
    if (e.value === undefined && messages.length) {
      return [{ field, message: messages.find((m) => / is required$/.test(m)) ?? `${field} is required` }];
    }
    const own = messages.map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Deeper JSON than any DTO needs is refused before a recursive validator could overflow the stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * The first problem class-validator must not meet: nesting past MAX_JSON_DEPTH, or a NUL character
 * in a string or key (PostgreSQL refuses it in text and JSON). Iterative, so depth costs no stack.
 */
export function findUnsafeJson(value: unknown): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'Strings must not contain NUL characters.';
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted.`;
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return 'Keys must not contain NUL characters.';
        stack.push({ v: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

/**
 * class-validator DTOs with unknown fields rejected, and failures in the contract's shape:
 * 400 VALIDATION_FAILED with one `details` entry per broken rule.
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
      const problem = findUnsafeJson(value);
      if (problem) throw Errors.validation([{ field: metadata.type, message: problem }]);
    }
    return super.transform(value, metadata);
  }
}
