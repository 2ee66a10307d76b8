import { registerDecorator, type ValidationOptions } from 'class-validator';

const METADATA_MAX_BYTES = 4096;
const METADATA_MAX_KEYS = 50;

/** A reason the metadata is refused, or null. */
export function metadataProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'metadata must be a JSON object';
  if (Object.keys(value).length > METADATA_MAX_KEYS) return `metadata must have at most ${METADATA_MAX_KEYS} keys`;
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > METADATA_MAX_BYTES)
    return `metadata must be at most ${METADATA_MAX_BYTES} bytes as JSON`;
  return null;
}

/** A JSON object of bounded size: free-form data must not grow a row without limit. */
export function IsUserMetadata(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUserMetadata',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => metadataProblem(value) === null,
        defaultMessage: (args) => metadataProblem(args?.value) ?? 'metadata is not valid',
      },
    });
}
