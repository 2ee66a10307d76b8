import type { TransformFnParams } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** RFC 3339 §5.6 `date-time`: `T` or `t` (or a space), `Z` or `z` or a numeric offset, any fraction of a second. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):?(\d{2}))$/;

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * The instant an RFC 3339 date-time names, or null when it is not one. Years 0000–0099 are those years (not
 * 1900–1999), a leap second (`:60`) is the next second, digits past milliseconds are dropped.
 */
export function parseRfc3339(value: string): Date | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0);
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return new Date(date.getTime() + (second === 60 ? 1000 : 0) - offset * 60_000);
}

/** An RFC 3339 date-time as its canonical UTC form (`0020-04-20T00:00:01.000Z`); anything else as it came. */
export const toDateTime = ({ value }: TransformFnParams): unknown => {
  const date = typeof value === 'string' ? parseRfc3339(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : value;
};

/**
 * An instant: an RFC 3339 date-time, which is what the OpenAPI document's `format: date-time` means. Other ISO 8601
 * forms are refused: without an offset a time names no instant (it would be read in the server's zone), and some
 * (week dates, basic format, an hour alone) no `Date` can read. Use with `@Transform(toDateTime)`.
 */
export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an RFC 3339 date-time with an offset, e.g. 2030-01-01T00:00:00Z`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && !Number.isNaN(parseRfc3339(value)?.getTime() ?? Number.NaN),
      },
    });
}
