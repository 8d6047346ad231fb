import { ApiErrorCode, type ChatConfigurationStatus, type ChatConfigurationType } from '@dingrelay/contracts';
import { DomainError } from '../errors/domain.error.js';
import type { DingTalkLimits } from '../usage/dingtalk-limits.js';

/** The DingTalk app and robot a send goes through, by the configuration's name. */
export interface ChatConfigurationRef {
  name: string;
  robotCode: string;
}

/**
 * The configuration a new send goes through, as recorded on it: its name and robot, and the id of its row. The id is
 * null only for a configuration pinned in the process (tests, benchmarks) under a name no row has.
 */
export interface SendConfiguration extends ChatConfigurationRef {
  id: string | null;
}

/** The configuration sends use when they name none: its name, and its robot when it is pinned in the process. */
export interface DefaultChatConfiguration {
  name: string;
  /** Set only where the configuration is pinned in the process (tests, benchmarks); otherwise read from the table. */
  robotCode?: string;
}

export interface ChatConfigurationCredentials extends ChatConfigurationRef {
  /** The configuration's row; absent for one pinned in the process. */
  id?: string;
  /** The DingTalk Client ID. */
  appKey: string;
  /** The DingTalk Client Secret, decrypted. */
  appSecret: string;
  /** DingTalk when absent (pinned configurations). */
  type?: ChatConfigurationType;
  /** Active when absent (pinned configurations). */
  status?: ChatConfigurationStatus;
  /** This app's overrides of the deployment's DingTalk limits (pace, quota). */
  limits?: Partial<DingTalkLimits>;
  /** §9.4 EncodingAESKey (43 characters). */
  aesKey?: string;
  /** §9.4 signing token. */
  callbackToken?: string;
}

export const DEFAULT_CHAT_CONFIGURATION_NAME = 'default';

/** Injection token: the configuration new sends use when none is named (a DefaultChatConfiguration). */
export const DEFAULT_CHAT_CONFIGURATION = Symbol('DEFAULT_CHAT_CONFIGURATION');

/** Injection token: looks up a configuration's credentials by name at delivery time. */
export const CHAT_CONFIGURATION_CREDENTIALS = Symbol('CHAT_CONFIGURATION_CREDENTIALS');

export interface ChatConfigurationCredentialsSource {
  /** Resolves to undefined when no configuration has that name. */
  find(name: string): Promise<ChatConfigurationCredentials | undefined>;
  /**
   * The configuration a send went through, as recorded on it (`sends.chat_configuration`, `chat_configuration_id`):
   * undefined when no configuration of that name is that one any more (deleted, perhaps re-created under the name).
   * Work on a recorded send uses this, never another configuration's app.
   */
  findAsRecorded(name: string, id: string | null): Promise<ChatConfigurationCredentials | undefined>;
}

/**
 * A configuration whose stored secrets cannot be decrypted, e.g. its key was removed from SECRET_ENCRYPTION_KEYS
 * before its rows were re-encrypted. Nothing done with it can succeed until the key is back, so callers that work
 * through many items of one configuration hold them all back rather than fail each one. A caller of the API gets a
 * 503: the request was fine, the gateway is misconfigured (the message names the key, never a secret).
 */
export class ChatConfigurationUnreadableError extends DomainError {
  constructor(
    readonly chatConfiguration: string,
    cause: unknown,
  ) {
    super(
      ApiErrorCode.ServiceUnavailable,
      `chat configuration ${chatConfiguration}: stored secrets cannot be decrypted (${cause instanceof Error ? cause.message : String(cause)}); an operator must restore the key in SECRET_ENCRYPTION_KEYS`,
    );
    this.cause = cause;
  }
}
