import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CHAT_CONFIGURATION_NAME_PATTERN, CHAT_CONFIGURATION_NAME_RULE } from '../chat-configurations/chat-configuration.js';
import { quoteForMessage } from '../errors/field-path.js';
import { MSG_KEYS, type MsgKey, type MsgParamOf } from '../messages/msg-key-catalog.js';
import { describeMsgKeyProblem } from '../messages/validate-msg-param.js';
import { IsMsgParamForMsgKey } from '../validation/msg-param.constraint.js';
import { IsUserIdList } from '../validation/user-id-list.constraint.js';
import { DELIVERY_POLICIES, type DeliveryPolicy } from './send-status.js';

/**
 * Body of `POST /v1/sends`: one message to up to MAX_RECIPIENTS_PER_SEND users.
 *
 * Validated with `whitelist` + `forbidNonWhitelisted`, so every accepted field needs a decorator and an unknown
 * one is an error rather than silently dropped. `chatConfiguration` names the app and robot that send.
 *
 * Typed by msgKey for TypeScript clients: `CreateSendRequest<'sampleMarkdown'>` requires
 * `msgParam: { title: string; text: string }`.
 */
export class CreateSendRequest<K extends MsgKey = MsgKey> {
  /** Recipients' DingTalk userIds (staffIds). Duplicates are removed by the server and counted in the response. */
  @IsUserIdList()
  userIds!: string[];

  @IsIn(MSG_KEYS, { message: (args) => describeMsgKeyProblem(args.value) ?? 'msgKey is invalid' })
  msgKey!: K;

  /** The template's fields as a JSON object (not a JSON string): dingrelay serializes it for DingTalk. */
  @IsMsgParamForMsgKey('msgKey')
  msgParam!: MsgParamOf<K>;

  /** Defaults to DEFAULT_DELIVERY_POLICY (at-least-once) when absent. */
  @IsOptional()
  @IsIn(DELIVERY_POLICIES, {
    message: (args) =>
      `deliveryPolicy must be one of: ${DELIVERY_POLICIES.join(', ')}` +
      (typeof args.value === 'string' ? `, got ${quoteForMessage(args.value)}` : ''),
  })
  deliveryPolicy?: DeliveryPolicy;

  /** The chat configuration (DingTalk app and robot) to send through; the server's default (`default`) when absent. */
  @IsOptional()
  @IsString()
  @Matches(CHAT_CONFIGURATION_NAME_PATTERN, { message: `chatConfiguration must be ${CHAT_CONFIGURATION_NAME_RULE}` })
  chatConfiguration?: string;
}
