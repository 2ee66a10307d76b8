import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { Errors } from './api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** A malformed id in a path is 400 VALIDATION_FAILED, before any lookup. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) {
      const field = metadata.data ?? 'id';
      throw Errors.invalidField(field, `${field} must be a UUID`);
    }
    return value.toLowerCase();
  }
}
