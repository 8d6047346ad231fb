// class-transformer's @Type reads design-time type metadata while the class is being defined, so the
// Reflect.metadata polyfill must be installed before this module's decorators run, whoever imports it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../history/history-time.constraint.js';
import { API_KEY_ROLES, type ApiKeyRole } from './api-key-roles.js';

export { API_KEY_ROLES, type ApiKeyRole };

export const MAX_API_KEY_NAME_LENGTH = 100;
export const MAX_API_KEY_SCOPE_SIZE = 100;
export const DEFAULT_API_KEYS_PAGE_SIZE = 100;
export const MAX_API_KEYS_PAGE_SIZE = 1000;

/** `POST /v1/api-keys`. */
export class CreateApiKeyRequest {
  /** Who or what uses the key; recorded as the actor of everything done with it. */
  @IsString()
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._@:/-]*$/u, {
    message: 'name must start with a letter or digit and contain only letters, digits, spaces and . _ @ : / -',
  })
  @MaxLength(MAX_API_KEY_NAME_LENGTH)
  name!: string;

  @IsIn(API_KEY_ROLES, { message: `role must be one of: ${API_KEY_ROLES.join(', ')}` })
  role!: ApiKeyRole;

  /** Senders only, and required for them: the chat configurations the key may send through and read. */
  @IsSenderScope()
  chatConfigurations?: string[];

  /** ISO-8601 with an offset; the key stops working then. Never expires when omitted. */
  @IsOptional()
  // Without an offset, "2027-01-01T00:00:00" would mean whatever zone the server guesses (it was taken as UTC).
  @IsIsoDateTimeWithOffset()
  expiresAt?: string;
}

/** `GET /v1/api-keys`. */
export class ListApiKeysQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEYS_PAGE_SIZE)
  maxResults: number = DEFAULT_API_KEYS_PAGE_SIZE;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  nextToken?: string;
}

/** One message per problem, whatever the value: a missing list must not also be "not an array", "not unique", …. */
function IsSenderScope(): PropertyDecorator {
  const problem = (args: ValidationArguments): string | undefined =>
    senderScopeProblem(args.value, (args.object as Partial<CreateApiKeyRequest>).role);
  return ValidateBy({
    name: 'senderScope',
    validator: { validate: (_value, args) => problem(args!) === undefined, defaultMessage: (args) => problem(args!) ?? '' },
  });
}

function senderScopeProblem(value: unknown, role: unknown): string | undefined {
  if (value === undefined) return role === 'sender' ? 'chatConfigurations must name the chat configurations a sender key may use' : undefined;
  if (!Array.isArray(value) || value.length === 0) return 'chatConfigurations must be a non-empty list of chat configuration names';
  if (value.length > MAX_API_KEY_SCOPE_SIZE) return `chatConfigurations may name at most ${MAX_API_KEY_SCOPE_SIZE} configurations`;
  if (!value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 128)) {
    return 'chatConfigurations must contain configuration names of 1-128 characters';
  }
  if (new Set(value).size !== value.length) return 'chatConfigurations must not name a configuration twice';
  return undefined;
}
