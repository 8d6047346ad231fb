import type { IsoDateTime } from '../sends/send.responses.js';

/** The §9.1 fields of a robot callback kept as DingTalk sent them (the text and the time are shaped per use). */
export interface InboundMessageFields {
  msgId: string;
  msgtype: string;
  /** `content` of the other types (richText, picture, audio, video, file). */
  content: unknown;
  conversationId: string;
  conversationType: string | null;
  conversationTitle: string | null;
  senderStaffId: string | null;
  senderId: string | null;
  senderNick: string | null;
  senderCorpId: string | null;
  robotCode: string | null;
  isInAtList: boolean | null;
}

/** A message a user sent a robot, as DingTalk pushed it (spec §9.1); the reply webhook is not kept. */
export interface InboundMessageResponse extends InboundMessageFields {
  id: string;
  chatConfiguration: string;
  /** `text.content` of a text message. */
  text: string | null;
  createAt: IsoDateTime;
  receivedAt: IsoDateTime;
}

export interface InboundMessagePage {
  items: InboundMessageResponse[];
  nextToken: string | null;
}
