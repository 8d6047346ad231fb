// class-transformer's @Type reads design-time type metadata while the class is being defined, so the
// Reflect.metadata polyfill must be installed before this module's decorators run, whoever imports it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/**
 * `admin` may do everything; `sender` creates, cancels and recalls sends and reads them, through the chat
 * configurations it is scoped to only; `auditor` reads history, exports, the audit log and usage, and never sends.
 */
export const API_KEY_ROLES = ['admin', 'sender', 'auditor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

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
  @ValidateIf((o: CreateApiKeyRequest) => o.role === 'sender' || o.chatConfigurations !== undefined)
  @IsArray({ message: 'chatConfigurations must list the configurations a sender key may use' })
  @ArrayMinSize(1, { message: 'chatConfigurations must name at least one configuration for a sender key' })
  @ArrayMaxSize(MAX_API_KEY_SCOPE_SIZE)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(128, { each: true })
  chatConfigurations?: string[];

  /** ISO-8601 with an offset; the key stops working then. Never expires when omitted. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'expiresAt must be an ISO-8601 date-time' })
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
