import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { CHAT_CONFIGURATION_NAME_PATTERN, CHAT_CONFIGURATION_NAME_RULE } from '@dingrelay/contracts';
import type { FirstStartChatConfiguration } from '../chat-configurations/first-start-chat-configuration.js';
import { parseSecretEncryptionKeys, SecretKeysError } from '../secrets/secret-cipher.js';
import { DingTalkLimitsConfig } from './dingtalk-limits.config.js';

@ValidatorConstraint({ name: 'secretEncryptionKeys' })
class SecretEncryptionKeysConstraint implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    try {
      parseSecretEncryptionKeys(String(value));
      return true;
    } catch (error) {
      this.problem = error instanceof SecretKeysError ? error.message : 'is not a list of id:<base64 key> entries';
      return false;
    }
  }

  defaultMessage(): string {
    return this.problem;
  }
}

const FIRST_START_VARIABLES = ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE'] as const;
const anyFirstStartVariable = (config: ChatConfigurationsConfig) => FIRST_START_VARIABLES.some((v) => config[v] !== undefined);
const togetherMessage = (args: ValidationArguments) =>
  `must be set together with ${FIRST_START_VARIABLES.filter((v) => v !== args.property).join(' and ')} ` +
  '(they define the chat configuration created at first start)';

/** Variables of the processes that read or write chat configurations (the API and the worker). */
export class ChatConfigurationsConfig extends DingTalkLimitsConfig {
  /**
   * Keys that encrypt stored secrets: `id:<base64 of 32 bytes>` entries, comma-separated; the first encrypts, the rest
   * still decrypt rows written before a rotation (`npm run secrets:reencrypt` moves them to the first).
   */
  @IsNotEmpty({
    message:
      'must be set to id:<base64 of 32 random bytes>, e.g. generate one with ' +
      `node -e "console.log('k1:' + require('crypto').randomBytes(32).toString('base64'))"`,
  })
  @Validate(SecretEncryptionKeysConstraint)
  SECRET_ENCRYPTION_KEYS!: string;

  /** The configuration sends use when they name none, and the name the first-start configuration gets. */
  @Matches(CHAT_CONFIGURATION_NAME_PATTERN, { message: `must be ${CHAT_CONFIGURATION_NAME_RULE}` })
  DEFAULT_CHAT_CONFIGURATION_NAME = 'default';

  /** With the two below: the DingTalk app created as the default configuration at first start (never updated after). */
  @ValidateIf(anyFirstStartVariable)
  @IsString()
  @IsNotEmpty({ message: togetherMessage })
  DINGTALK_APP_KEY?: string;

  @ValidateIf(anyFirstStartVariable)
  @IsString()
  @IsNotEmpty({ message: togetherMessage })
  DINGTALK_APP_SECRET?: string;

  @ValidateIf(anyFirstStartVariable)
  @IsString()
  @IsNotEmpty({ message: togetherMessage })
  DINGTALK_ROBOT_CODE?: string;

  /**
   * Where both processes call DingTalk with the configurations' credentials (the worker's deliveries and follow-ups,
   * the API's quick entries): real DingTalk by default, the simulator's URL in development and tests.
   */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  DINGTALK_BASE_URL = 'https://api.dingtalk.com';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DINGTALK_TIMEOUT_MS = 10_000;

  firstStartChatConfiguration(): FirstStartChatConfiguration | null {
    if (!this.DINGTALK_APP_KEY || !this.DINGTALK_APP_SECRET || !this.DINGTALK_ROBOT_CODE) return null;
    return {
      name: this.DEFAULT_CHAT_CONFIGURATION_NAME,
      appKey: this.DINGTALK_APP_KEY,
      appSecret: this.DINGTALK_APP_SECRET,
      robotCode: this.DINGTALK_ROBOT_CODE,
    };
  }
}
