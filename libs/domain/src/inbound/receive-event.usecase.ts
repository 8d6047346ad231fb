import { ChatConfigurationType } from '@dingrelay/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DingTalkEventCrypto, DingTalkEventCryptoError, type EncryptedReply } from '@dingrelay/dingtalk-client';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentialsSource } from '../chat-configurations/chat-configuration.js';
import { InvalidInputError } from '../errors/domain.error.js';
import { CallbackUnauthorizedError } from './callback.errors.js';

export interface ReceiveEventCommand {
  chatConfiguration: string;
  /** `msg_signature` (or the older `signature`), `timestamp` (or `timeStamp`) and `nonce` query parameters. */
  signature: string | undefined;
  timestamp: string | undefined;
  nonce: string | undefined;
  /** The body's `encrypt`. */
  encrypt: unknown;
}

export interface ReceivedEvent {
  eventType: string | null;
  reply: EncryptedReply;
}

/**
 * The legacy encrypted event subscription (spec §9.4): checks the SHA-1 signature with the configuration's callback
 * token, decrypts with its AesKey, requires the trailing ownerKey to be the configuration's app key, and answers the
 * encrypted `success` DingTalk waits for (also for the `check_url` probe, which must be answered within 1.5 s).
 */
@Injectable()
export class ReceiveEventUseCase {
  private readonly logger = new Logger('InboundEvents');

  constructor(@Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource) {}

  async execute(command: ReceiveEventCommand): Promise<ReceivedEvent> {
    const config = await this.configurations.find(command.chatConfiguration);
    if (!config || !config.aesKey || !config.callbackToken || (config.type !== undefined && config.type !== ChatConfigurationType.DingTalk)) {
      throw this.refuse(command.chatConfiguration, 'no DingTalk configuration of that name with callback secrets');
    }
    const { signature, timestamp, nonce } = command;
    if (!signature || !timestamp || !nonce) throw this.refuse(config.name, 'missing msg_signature, timestamp or nonce');
    if (typeof command.encrypt !== 'string' || command.encrypt === '') throw new InvalidInputError('encrypt', 'is required and must be a string');

    const crypto = new DingTalkEventCrypto(config.callbackToken, config.aesKey, config.appKey);
    if (!crypto.verifySignature(signature, timestamp, nonce, command.encrypt)) throw this.refuse(config.name, 'signature mismatch');
    let plaintext: string;
    try {
      plaintext = crypto.decryptFor(command.encrypt);
    } catch (err) {
      if (err instanceof DingTalkEventCryptoError) throw this.refuse(config.name, err.message);
      throw err;
    }
    const eventType = eventTypeOf(plaintext);
    this.logger.log(`event ${eventType ?? '(no EventType)'} for ${config.name}`);
    return { eventType, reply: crypto.encryptedReply(timestamp, nonce) };
  }

  private refuse(configuration: string, reason: string): CallbackUnauthorizedError {
    this.logger.warn(`event push for ${JSON.stringify(configuration.slice(0, 64))} refused: ${reason}`);
    return new CallbackUnauthorizedError(reason);
  }
}

function eventTypeOf(plaintext: string): string | null {
  try {
    const parsed: unknown = JSON.parse(plaintext);
    const type = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['EventType'] : undefined;
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}
