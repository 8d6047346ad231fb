import { ChatConfigurationType } from '@dingrelay/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { verifyCallbackSign } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentialsSource } from '../chat-configurations/chat-configuration.js';
import { CallbackReplayGuard } from './callback-replay-guard.js';
import { CallbackUnauthorizedError } from './callback.errors.js';
import { INBOUND_SETTINGS, type InboundSettings } from './inbound.settings.js';
import { type InboundMessageInput, parseInboundMessage } from './parse-inbound-message.js';

export interface ReceiveInboundMessageCommand {
  chatConfiguration: string;
  /** The `timestamp` and `sign` headers. */
  timestamp: string | undefined;
  sign: string | undefined;
  payload: unknown;
  /** The receiver's clock (ms); a parameter so the signature window can be tested without faking timers. */
  nowMs: number;
}

export interface ReceiveInboundMessageResult {
  msgId: string;
  /** False for a re-push of a message already stored. */
  stored: boolean;
}

/**
 * A robot callback (spec §9.1/§9.2): signature first (nothing about an unsigned push is looked at further), then the
 * payload, then the replay cache (the signature must not have come with another message), then one INSERT that a
 * re-push of the same msgId turns into a no-op. No DingTalk call: DingTalk waits.
 */
@Injectable()
export class ReceiveInboundMessageUseCase {
  private readonly logger = new Logger('InboundCallbacks');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
    @Inject(INBOUND_SETTINGS) private readonly settings: InboundSettings,
    private readonly replays: CallbackReplayGuard,
  ) {}

  async execute(command: ReceiveInboundMessageCommand): Promise<ReceiveInboundMessageResult> {
    const config = await this.configurations.find(command.chatConfiguration);
    if (!config || (config.type !== undefined && config.type !== ChatConfigurationType.DingTalk)) {
      throw this.refuse(command.chatConfiguration, 'no DingTalk configuration of that name');
    }
    const verdict = verifyCallbackSign({
      timestamp: command.timestamp,
      sign: command.sign,
      appSecret: config.appSecret,
      nowMs: command.nowMs,
      maxSkewMs: this.settings.callbackMaxSkewMs,
    });
    if (!verdict.ok) throw this.refuse(config.name, verdict.reason);

    const message = parseInboundMessage(command.payload, { maxTextLength: this.settings.callbackMaxTextLength });
    // `sign` depends on the timestamp and the secret only: remembered for as long as the window could accept it
    // (a timestamp up to the skew ahead of the clock, up to the skew behind), it can vouch for one message only.
    const claim = { kind: 'message' as const, configuration: config.name, proof: command.sign!, request: message.msgId, ttlMs: 2 * this.settings.callbackMaxSkewMs };
    const seen = await this.replays.claim(claim);
    if (seen === 'replay') {
      throw this.refuse(config.name, `replay: a signature already used within the window (timestamp ${command.timestamp}) came with another message`);
    }
    // DingTalk sending the very same request again: already stored (or being stored) under its msgId.
    if (seen === 'same-request') return { msgId: message.msgId, stored: false };
    let inserted: { id: string }[];
    try {
      inserted = await this.insert(config.name, message);
    } catch (error) {
      // Not kept: DingTalk's re-push of this same request must not be refused as a replay.
      await this.replays.release(claim);
      throw error;
    }
    return { msgId: message.msgId, stored: inserted.length === 1 };
  }

  private insert(configuration: string, message: InboundMessageInput): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `INSERT INTO inbound_messages (chat_configuration, msg_id, msgtype, text_content, content, conversation_id, conversation_type,
                                     conversation_title, sender_staff_id, sender_id, sender_nick, sender_corp_id, robot_code,
                                     is_in_at_list, create_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (chat_configuration, msg_id) DO NOTHING
       RETURNING id::text AS id`,
      [
        configuration,
        message.msgId,
        message.msgtype,
        message.textContent,
        message.content === null ? null : JSON.stringify(message.content),
        message.conversationId,
        message.conversationType,
        message.conversationTitle,
        message.senderStaffId,
        message.senderId,
        message.senderNick,
        message.senderCorpId,
        message.robotCode,
        message.isInAtList,
        message.createAt,
      ],
    );
  }

  private refuse(configuration: string, reason: string): CallbackUnauthorizedError {
    // The reason is for operators; the caller only learns that the signature was not accepted.
    this.logger.warn(`callback for ${JSON.stringify(configuration.slice(0, 64))} refused: ${reason}`);
    return new CallbackUnauthorizedError(reason);
  }
}
