import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { type ErrorDetail, Errors } from './api-error.js';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
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
      validationError: { target: false, value: false },
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
    }
    return super.transform(value, metadata);
  }
}
