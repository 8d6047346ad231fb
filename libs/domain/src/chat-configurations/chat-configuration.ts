/**
 * The DingTalk app and robot a send goes through. Until configurations are stored in Postgres, the single one comes
 * from the environment and is named `default`.
 */
export interface ChatConfigurationRef {
  name: string;
  robotCode: string;
}

export interface ChatConfigurationCredentials extends ChatConfigurationRef {
  appKey: string;
  appSecret: string;
}

export const DEFAULT_CHAT_CONFIGURATION_NAME = 'default';

/** Injection token: the configuration new sends use when none is named. */
export const DEFAULT_CHAT_CONFIGURATION = Symbol('DEFAULT_CHAT_CONFIGURATION');

/** Injection token: looks up a configuration's credentials by name at delivery time. */
export const CHAT_CONFIGURATION_CREDENTIALS = Symbol('CHAT_CONFIGURATION_CREDENTIALS');

export interface ChatConfigurationCredentialsSource {
  /** Resolves to undefined when no configuration has that name. */
  find(name: string): Promise<ChatConfigurationCredentials | undefined>;
}

/** The environment-configured app, the only configuration there is for now. */
export class StaticChatConfigurations implements ChatConfigurationCredentialsSource {
  constructor(private readonly configurations: readonly ChatConfigurationCredentials[]) {}

  async find(name: string): Promise<ChatConfigurationCredentials | undefined> {
    return this.configurations.find((c) => c.name === name);
  }
}
