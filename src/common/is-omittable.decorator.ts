import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out, and then no other rule of it runs. Unlike class-validator's
 * `@IsOptional()`, which skips `null` as well, `null` is validated like any other value, so a field
 * that cannot be cleared answers `null` with 400 VALIDATION_FAILED instead of passing it on to a
 * NOT NULL column. Keep `@IsOptional()` only where `null` means "clear it".
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_: object, value: unknown) => value !== undefined, options);
}
