import type { InboundMessageFields } from '@dingrelay/contracts';
import { InvalidInputError } from '../errors/domain.error.js';

/** The §9.1 fields dingrelay keeps of a robot callback. */
export interface InboundMessageInput extends InboundMessageFields {
  /** `text.content` of a text message. */
  textContent: string | null;
  createAt: Date;
}

const MAX_ID_LENGTH = 512;
const MAX_TEXT_FIELD_LENGTH = 1024;
/** DingTalk's own types (§9.1) and whatever it adds later: a word, never free text. */
const MSGTYPE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
/** createAt in ms; anything before 2000 or absurdly far ahead is not a DingTalk message time. */
const MIN_CREATE_AT = Date.UTC(2000, 0, 1);
const MAX_CREATE_AT = Date.UTC(2200, 0, 1);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `text` has more than `max` code points, without counting past `max`. */
function codePointsOver(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

function requiredId(payload: Record<string, unknown>, field: string): string {
  const value = payload[field];
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(field, 'is required and must be a non-empty string');
  if (value.length > MAX_ID_LENGTH) throw new InvalidInputError(field, `must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}

function optionalText(payload: Record<string, unknown>, field: string): string | null {
  const value = payload[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidInputError(field, 'must be a string');
  if (value.length > MAX_TEXT_FIELD_LENGTH) throw new InvalidInputError(field, `must be at most ${MAX_TEXT_FIELD_LENGTH} characters`);
  return value;
}

/**
 * Validates a robot callback payload (spec §9.1) and keeps its fields. Fields DingTalk may add are ignored rather
 * than refused, since a refused push is re-pushed; the reply URL (`sessionWebhook`) is deliberately dropped.
 */
export function parseInboundMessage(payload: unknown, limits: { maxTextLength: number }): InboundMessageInput {
  if (!isRecord(payload)) throw new InvalidInputError('(body)', 'must be a JSON object');
  const msgId = requiredId(payload, 'msgId');
  const msgtype = payload['msgtype'];
  if (typeof msgtype !== 'string' || !MSGTYPE.test(msgtype)) throw new InvalidInputError('msgtype', 'is required and must be a message type such as text or picture');
  let textContent: string | null = null;
  let content: unknown = null;
  if (msgtype === 'text') {
    const text = payload['text'];
    if (!isRecord(text) || typeof text['content'] !== 'string') throw new InvalidInputError('text.content', 'is required for a text message');
    textContent = text['content'];
    // Characters as DingTalk's clients count them (code points), not UTF-16 units: a CJK or emoji text is not halved.
    if (codePointsOver(textContent, limits.maxTextLength)) {
      throw new InvalidInputError('text.content', `must be at most ${limits.maxTextLength} characters`);
    }
  } else if (payload['content'] !== undefined && payload['content'] !== null) {
    if (!isRecord(payload['content'])) throw new InvalidInputError('content', 'must be an object');
    content = payload['content'];
  }
  const rawCreateAt = payload['createAt'];
  const createAt = typeof rawCreateAt === 'string' && /^\d{1,16}$/.test(rawCreateAt) ? Number(rawCreateAt) : rawCreateAt;
  if (typeof createAt !== 'number' || !Number.isSafeInteger(createAt) || createAt < MIN_CREATE_AT || createAt > MAX_CREATE_AT) {
    throw new InvalidInputError('createAt', 'is required and must be the message time in ms since the epoch');
  }
  const isInAtList = payload['isInAtList'];
  if (isInAtList !== undefined && isInAtList !== null && typeof isInAtList !== 'boolean') throw new InvalidInputError('isInAtList', 'must be a boolean');
  return {
    msgId,
    msgtype,
    textContent,
    content,
    conversationId: requiredId(payload, 'conversationId'),
    conversationType: optionalText(payload, 'conversationType'),
    conversationTitle: optionalText(payload, 'conversationTitle'),
    senderStaffId: optionalText(payload, 'senderStaffId'),
    senderId: optionalText(payload, 'senderId'),
    senderNick: optionalText(payload, 'senderNick'),
    senderCorpId: optionalText(payload, 'senderCorpId'),
    robotCode: optionalText(payload, 'robotCode'),
    isInAtList: typeof isInAtList === 'boolean' ? isInAtList : null,
    createAt: new Date(createAt),
  };
}
