import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { NameField } from '../../common/identifier-fields.js';
import { WEBHOOK_URL_MAX_LENGTH } from '../net/webhook-url.js';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhook-events.js';

const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES);

/** Why an `events` list is refused, or null: known types without repeats, or `["*"]` alone. */
export function eventsProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'events must be an array';
  if (value.length === 0) return 'events must not be empty';
  const unknown = value.findIndex((v) => typeof v !== 'string' || (v !== ALL_EVENTS && !KNOWN.has(v)));
  if (unknown >= 0) return `events[${unknown}] is not a known event type`;
  if (new Set(value).size !== value.length) return 'events must not name a type twice';
  if (value.length > 1 && value.includes(ALL_EVENTS)) return 'events must be ["*"] alone or a list of event types';
  return null;
}

export class CreateWebhookDto {
  /**
   * Where deliveries are POSTed: `https` (plain `http` only for localhost in development), at most
   * 2,048 characters, no user name or password, no fragment. Stored and shown in its WHATWG serialisation, the
   * form it is delivered to: `HTTPS://Hooks.Example.com:443` is `https://hooks.example.com/`, a Unicode host its
   * ASCII (Punycode) name, a backslash a slash.
   */
  @IsString()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  @ApiProperty({
    format: 'uri',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    example: 'https://portal.example.com/webhooks/latchkey',
  })
  url: string;

  /** The event types to deliver, each at most once, or `["*"]` for every type (types added later included). */
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ValidateBy({
    name: 'isWebhookEventList',
    validator: {
      validate: (value: unknown) => eventsProblem(value) === null,
      defaultMessage: (args) => eventsProblem(args?.value) ?? 'events is not valid',
    },
  })
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [ALL_EVENTS, ...WEBHOOK_EVENT_TYPES] },
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
    example: ['user.passwordReset', 'user.deleted'],
  })
  events: string[];

  /** A note for the account's admins, at most 100 characters; `null` clears it. */
  @IsOptional()
  @NameField({ min: 0 })
  @ApiPropertyOptional({ nullable: true, example: 'Customer portal' })
  description?: string | null;
}
