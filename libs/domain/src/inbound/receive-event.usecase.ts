import { ChatConfigurationType } from '@dingrelay/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DingTalkEventCrypto, DingTalkEventCryptoError, type EncryptedReply } from '@dingrelay/dingtalk-client';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentialsSource } from '../chat-configurations/chat-configuration.js';
import { InvalidInputError } from '../errors/domain.error.js';
import { CallbackReplayGuard } from './callback-replay-guard.js';
import { CallbackUnauthorizedError } from './callback.errors.js';
import { INBOUND_SETTINGS, type InboundSettings } from './inbound.settings.js';

export interface ReceiveEventCommand {
  chatConfiguration: string;
  /** `msg_signature` (or the older `signature`), `timestamp` (or `timeStamp`) and `nonce` query parameters. */
  signature: string | undefined;
  timestamp: string | undefined;
  nonce: string | undefined;
  /** The body's `encrypt`. */
  encrypt: unknown;
  /** The receiver's clock (ms); a parameter so the timestamp window can be tested without faking timers. */
  nowMs: number;
}

export interface ReceivedEvent {
  eventType: string | null;
  reply: EncryptedReply;
}

/**
 * The legacy encrypted event subscription (spec §9.4): checks the SHA-1 signature with the configuration's callback
 * token, decrypts with its AesKey, requires the trailing ownerKey to be the configuration's app key, and answers the
 * encrypted `success` DingTalk waits for (also for the `check_url` probe, which must be answered within 1.5 s).
 * The timestamp must be within CALLBACK_MAX_SKEW_MS, and a nonce is accepted once within that window: the same request
 * again (DingTalk re-sending it) is answered alike, the nonce with anything else is refused as a replay.
 */
@Injectable()
export class ReceiveEventUseCase {
  private readonly logger = new Logger('InboundEvents');

  constructor(
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
    @Inject(INBOUND_SETTINGS) private readonly settings: InboundSettings,
    private readonly replays: CallbackReplayGuard,
  ) {}

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
    const sentAtMs = timestampMs(timestamp);
    if (sentAtMs === undefined) throw this.refuse(config.name, 'malformed timestamp');
    if (Math.abs(command.nowMs - sentAtMs) > this.settings.callbackMaxSkewMs) throw this.refuse(config.name, 'stale');
    const seen = await this.replays.claim({
      kind: 'event',
      configuration: config.name,
      proof: nonce,
      request: signature.toLowerCase(),
      ttlMs: 2 * this.settings.callbackMaxSkewMs,
    });
    if (seen === 'replay') throw this.refuse(config.name, `replay: nonce already used within the window (timestamp ${timestamp}) with another push`);
    const eventType = eventTypeOf(plaintext);
    this.logger.log(`event ${eventType ?? '(no EventType)'} for ${config.name}`);
    return { eventType, reply: crypto.encryptedReply(timestamp, nonce) };
  }

  private refuse(configuration: string, reason: string): CallbackUnauthorizedError {
    this.logger.warn(`event push for ${JSON.stringify(configuration.slice(0, 64))} refused: ${reason}`);
    return new CallbackUnauthorizedError(reason);
  }
}

/** The §9.4 timestamp in ms: DingTalk sends milliseconds; ten digits or fewer are taken as seconds. */
function timestampMs(timestamp: string): number | undefined {
  if (!/^\d{1,16}$/.test(timestamp)) return undefined;
  const value = Number(timestamp);
  return timestamp.replace(/^0+/, '').length <= 10 ? value * 1000 : value;
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
