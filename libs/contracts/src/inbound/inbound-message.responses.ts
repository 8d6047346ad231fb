import type { IsoDateTime } from '../sends/send.responses.js';

/** A message a user sent a robot, as DingTalk pushed it (spec §9.1); the reply webhook is not kept. */
export interface InboundMessageResponse {
  id: string;
  chatConfiguration: string;
  msgId: string;
  msgtype: string;
  /** `text.content` of a text message. */
  text: string | null;
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
  createAt: IsoDateTime;
  receivedAt: IsoDateTime;
}

export interface InboundMessagePage {
  items: InboundMessageResponse[];
  nextToken: string | null;
}
