import { pageOf } from './page.schemas.js';
import type { SchemaObject } from './send.schemas.js';

const nullableString = (description?: string): SchemaObject => ({ type: 'string', nullable: true, ...(description ? { description } : {}) });

/** contracts' InboundMessageResponse: a message a user sent a robot, as DingTalk pushed it (spec §9.1). */
export const inboundMessageSchema: SchemaObject = {
  type: 'object',
  required: [
    'id', 'chatConfiguration', 'msgId', 'msgtype', 'text', 'content', 'conversationId', 'conversationType', 'conversationTitle',
    'senderStaffId', 'senderId', 'senderNick', 'senderCorpId', 'robotCode', 'isInAtList', 'createAt', 'receivedAt',
  ],
  properties: {
    id: { type: 'string' },
    chatConfiguration: { type: 'string' },
    msgId: { type: 'string' },
    msgtype: { type: 'string', example: 'text', description: 'text, richText, picture, audio, video or file' },
    text: nullableString('text.content of a text message'),
    content: { description: 'content of the other types (richText, picture, audio, video, file), as DingTalk sent it; null for text' },
    conversationId: { type: 'string' },
    conversationType: nullableString(),
    conversationTitle: nullableString(),
    senderStaffId: nullableString("The sender's userId"),
    senderId: nullableString(),
    senderNick: nullableString(),
    senderCorpId: nullableString(),
    robotCode: nullableString(),
    isInAtList: { type: 'boolean', nullable: true },
    createAt: { type: 'string', format: 'date-time', description: 'When the user sent it (DingTalk’s createAt)' },
    receivedAt: { type: 'string', format: 'date-time' },
  },
};

export const inboundMessagePageSchema = pageOf('InboundMessage');

/** What a robot message push is answered with: nothing to post back. */
export const callbackAckSchema: SchemaObject = {
  type: 'object',
  required: ['msgtype'],
  properties: { msgtype: { type: 'string', enum: ['empty'] } },
};

/** dingtalk-client's EncryptedReply: the encrypted `success` an event push expects (spec §9.4). */
export const encryptedCallbackReplySchema: SchemaObject = {
  type: 'object',
  required: ['msg_signature', 'timeStamp', 'nonce', 'encrypt'],
  properties: { msg_signature: { type: 'string' }, timeStamp: { type: 'string' }, nonce: { type: 'string' }, encrypt: { type: 'string' } },
};

/** A robot message DingTalk pushes (spec §9.1); kept as sent, so fields beyond these are accepted. */
export const robotMessagePushSchema: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  required: ['msgId', 'msgtype', 'conversationId'],
  properties: {
    msgId: { type: 'string' },
    msgtype: { type: 'string', example: 'text' },
    conversationId: { type: 'string' },
    senderStaffId: { type: 'string' },
    createAt: { type: 'integer', description: 'Epoch milliseconds' },
    text: { type: 'object', additionalProperties: true, description: 'For a text message: { content }' },
  },
};

/** A legacy event push (spec §9.4): the encrypted payload. */
export const encryptedEventPushSchema: SchemaObject = {
  type: 'object',
  required: ['encrypt'],
  properties: { encrypt: { type: 'string', description: 'Base64 of the AES-256-CBC encrypted event' } },
};
