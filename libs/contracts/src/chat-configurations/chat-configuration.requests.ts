// class-transformer's @Type reads design-time type metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  CHAT_CONFIGURATION_NAME_PATTERN,
  CHAT_CONFIGURATION_NAME_RULE,
  CHAT_CONFIGURATION_STATUSES,
  CHAT_CONFIGURATION_TYPES,
  type ChatConfigurationStatus,
  type ChatConfigurationType,
  DEFAULT_CHAT_CONFIGURATIONS_PAGE_SIZE,
  MAX_CHAT_CONFIGURATION_TAGS,
  MAX_CHAT_CONFIGURATIONS_PAGE_SIZE,
} from './chat-configuration.js';

const TAG_KEY = /^[^\s,=:][^,=]{0,127}$/;

/** Tags: a flat `{key: value}` map of strings, keys without `,` `=` `:` at the start, at most 20 of them. */
export function describeTagsProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be an object of string values';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_CHAT_CONFIGURATION_TAGS) return `must have at most ${MAX_CHAT_CONFIGURATION_TAGS} tags`;
  for (const [key, tagValue] of entries) {
    if (!TAG_KEY.test(key)) return `key "${key.slice(0, 40)}" must be 1-128 characters without "," or "="`;
    if (typeof tagValue !== 'string' || tagValue.length > 256) return `${key} must be a string of at most 256 characters`;
  }
  return undefined;
}

function IsTagMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTagMap',
      validator: {
        validate: (value: unknown) => describeTagsProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'tags'} ${describeTagsProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

/** The DingTalk app behind a configuration (OOS's `Configuration` JSON) and its per-app limits. */
export class DingTalkConfigurationInput {
  /** The app's Client ID (AppKey). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  clientId?: string;

  /** The app's Client Secret (AppSecret). Write-only: stored encrypted, answered as `******`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  clientSecret?: string;

  /** The robot that sends. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  robotCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  templateId?: string | null;

  /** DingTalk's per-app, per-API limit for this app (20 standard, 60 with the add-on); the server default when null. */
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  @Max(1000)
  callsPerSecond?: number | null;

  /** Share of callsPerSecond the pacer uses. */
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  @Max(1)
  paceUtilization?: number | null;

  /** The app's monthly call quota. */
  @IsOptional()
  @IsInt()
  @Min(1)
  monthlyCallQuota?: number | null;
}

/** Body of `PATCH /v1/chat-configurations/:name` (and PUT): only the fields given change; null clears optional ones. */
export class UpdateChatConfigurationRequest {
  @IsOptional()
  @IsIn(CHAT_CONFIGURATION_TYPES, { message: `type must be one of: ${CHAT_CONFIGURATION_TYPES.join(', ')}` })
  type?: ChatConfigurationType;

  @IsOptional()
  @IsIn(CHAT_CONFIGURATION_STATUSES, { message: `status must be one of: ${CHAT_CONFIGURATION_STATUSES.join(', ')}` })
  status?: ChatConfigurationStatus;

  /** Kept for OOS compatibility; dingrelay records it and does not assume it. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  ramRole?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  resourceGroupId?: string | null;

  @IsOptional()
  @IsTagMap()
  tags?: Record<string, string>;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DingTalkConfigurationInput)
  configuration?: DingTalkConfigurationInput;
}

/** Body of `POST /v1/chat-configurations`. A DingTalk configuration needs clientId, clientSecret and robotCode. */
export class CreateChatConfigurationRequest extends UpdateChatConfigurationRequest {
  @IsString()
  @Matches(CHAT_CONFIGURATION_NAME_PATTERN, { message: `name must be ${CHAT_CONFIGURATION_NAME_RULE}` })
  name!: string;

  @IsIn(CHAT_CONFIGURATION_TYPES, { message: `type must be one of: ${CHAT_CONFIGURATION_TYPES.join(', ')}` })
  declare type: ChatConfigurationType;
}

/** Query of `GET /v1/chat-configurations`. */
export class ListChatConfigurationsQuery {
  /** Names starting with this. */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  name?: string;

  @IsOptional()
  @IsIn(CHAT_CONFIGURATION_TYPES, { message: `type must be one of: ${CHAT_CONFIGURATION_TYPES.join(', ')}` })
  type?: ChatConfigurationType;

  @IsOptional()
  @IsIn(CHAT_CONFIGURATION_STATUSES, { message: `status must be one of: ${CHAT_CONFIGURATION_STATUSES.join(', ')}` })
  status?: ChatConfigurationStatus;

  /** `key` (the tag is present) or `key=value`. */
  @IsOptional()
  @IsString()
  @MaxLength(400)
  tag?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CHAT_CONFIGURATIONS_PAGE_SIZE)
  maxResults: number = DEFAULT_CHAT_CONFIGURATIONS_PAGE_SIZE;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  nextToken?: string;
}
