// class-transformer's @Type reads design-time type metadata while the class is being defined, so the
// Reflect.metadata polyfill must be installed before this module's decorators run, whoever imports it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { IsURLOptions } from 'validator';
import { IsI18nName } from './i18n-name.constraint.js';

/** Most quick entries one request may set. DingTalk publishes no maximum (its exceededMaximumLimit has no number). */
export const MAX_PLUGINS_PER_ROBOT = 10;
export const MAX_PLUGIN_URL_LENGTH = 1024;
/** mediaIds from DingTalk's media upload start with `@`, e.g. `@lALPDtXaDkO3j7hgYA`. */
export const PLUGIN_ICON_PATTERN = /^@[A-Za-z0-9_+/=-]{1,255}$/;

const HTTPS_URL: IsURLOptions = { protocols: ['https'], require_protocol: true, require_valid_protocol: true };

/** One single-chat quick entry of a robot. */
export class PluginEntryInput {
  /** The label per locale, e.g. `{"zh_CN": "请假", "en_US": "Leave"}`; sent to DingTalk as the JSON string it expects. */
  @IsDefined({ message: 'name is required' })
  @IsI18nName()
  name!: Record<string, string>;

  /** A mediaId from DingTalk's media upload. */
  @IsDefined({ message: 'icon is required' })
  @IsString()
  @Matches(PLUGIN_ICON_PATTERN, { message: 'icon must be a DingTalk mediaId such as @lALPDtXaDkO3j7hgYA' })
  icon!: string;

  /** Opened on the PC client. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PLUGIN_URL_LENGTH)
  @IsUrl(HTTPS_URL, { message: 'pcUrl must be an https URL' })
  pcUrl?: string;

  /** Opened on the mobile client. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PLUGIN_URL_LENGTH)
  @IsUrl(HTTPS_URL, { message: 'mobileUrl must be an https URL' })
  mobileUrl?: string;
}

/** Body of `PUT /v1/chat-configurations/:name/plugins`: the robot's complete list of quick entries (replaces). */
export class SetPluginsRequest {
  @IsDefined({ message: 'plugins is required' })
  @IsArray()
  @ArrayMinSize(1, { message: 'plugins must contain at least 1 entry; DELETE the resource to remove every entry' })
  @ArrayMaxSize(MAX_PLUGINS_PER_ROBOT)
  @ValidateNested({ each: true })
  @Type(() => PluginEntryInput)
  plugins!: PluginEntryInput[];
}
