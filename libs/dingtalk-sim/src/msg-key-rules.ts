/**
 * The simulator's own msgKey catalog (spec §3.3) with the `miss.param.*` code DingTalk answers when a required
 * msgParam field is absent (spec §3.4 mapping hints). Deliberately independent of dingrelay's contracts lib: the
 * simulator judges the sender, so it must not share the sender's idea of what is valid.
 */

export interface RequiredField {
  /** Exact field name inside msgParam; DingTalk's names are case-sensitive here (`photoURL`, `singleURL`). */
  readonly field: string;
  readonly missCode: string;
}

export interface MsgKeyRule {
  readonly msgKey: string;
  /** Checked in this order; the first missing one decides the error code. */
  readonly required: readonly RequiredField[];
  readonly optional: readonly string[];
}

const TITLE = { field: 'title', missCode: 'miss.param.actionCardTotitle' } as const;
const TEXT = { field: 'text', missCode: 'miss.param.actionCardTotext' } as const;

function verticalButtons(count: number): RequiredField[] {
  const fields: RequiredField[] = [];
  for (let i = 1; i <= count; i++) {
    fields.push({ field: `actionTitle${i}`, missCode: 'miss.param.actionCardTobtnsTotitle' });
    fields.push({ field: `actionURL${i}`, missCode: 'miss.param.actionCardTobtnsToactionUrl' });
  }
  return fields;
}

const RULES: readonly MsgKeyRule[] = [
  { msgKey: 'sampleText', required: [{ field: 'content', missCode: 'miss.param.contentOfText' }], optional: [] },
  {
    msgKey: 'sampleMarkdown',
    required: [
      { field: 'title', missCode: 'miss.param.markdownTotitle' },
      { field: 'text', missCode: 'miss.param.markdownTotext' },
    ],
    optional: [],
  },
  { msgKey: 'sampleImageMsg', required: [{ field: 'photoURL', missCode: 'miss.param.photoTophotoUrl' }], optional: [] },
  {
    msgKey: 'sampleLink',
    // No error code names picUrl, so the simulator treats it as optional (spec §3.4 lists none for it).
    required: [
      { field: 'text', missCode: 'miss.param.textOfLink' },
      { field: 'title', missCode: 'miss.param.titleOfLink' },
      { field: 'messageUrl', missCode: 'miss.param.messageUrlOfLink' },
    ],
    optional: ['picUrl'],
  },
  {
    msgKey: 'sampleActionCard',
    required: [
      TITLE,
      TEXT,
      { field: 'singleTitle', missCode: 'miss.param.actionCardTosingleTitle' },
      { field: 'singleURL', missCode: 'miss.param.actionCardTosingleUrl' },
    ],
    optional: [],
  },
  { msgKey: 'sampleActionCard2', required: [TITLE, TEXT, ...verticalButtons(2)], optional: [] },
  { msgKey: 'sampleActionCard3', required: [TITLE, TEXT, ...verticalButtons(3)], optional: [] },
  { msgKey: 'sampleActionCard4', required: [TITLE, TEXT, ...verticalButtons(4)], optional: [] },
  { msgKey: 'sampleActionCard5', required: [TITLE, TEXT, ...verticalButtons(5)], optional: [] },
  {
    // Horizontal buttons use different key names (buttonTitleN / buttonUrlN), spec §3.3.
    msgKey: 'sampleActionCard6',
    required: [
      TITLE,
      TEXT,
      { field: 'buttonTitle1', missCode: 'miss.param.actionCardTobtnsTotitle' },
      { field: 'buttonUrl1', missCode: 'miss.param.actionCardTobtnsToactionUrl' },
      { field: 'buttonTitle2', missCode: 'miss.param.actionCardTobtnsTotitle' },
      { field: 'buttonUrl2', missCode: 'miss.param.actionCardTobtnsToactionUrl' },
    ],
    optional: [],
  },
  {
    msgKey: 'sampleAudio',
    required: [
      { field: 'mediaId', missCode: 'miss.param.audio' },
      { field: 'duration', missCode: 'miss.param.audio' },
    ],
    optional: [],
  },
  {
    msgKey: 'sampleFile',
    required: [
      { field: 'mediaId', missCode: 'miss.param.file' },
      { field: 'fileName', missCode: 'miss.param.file' },
      { field: 'fileType', missCode: 'miss.param.file' },
    ],
    optional: [],
  },
  {
    msgKey: 'sampleVideo',
    required: [
      { field: 'duration', missCode: 'miss.param.video' },
      { field: 'videoMediaId', missCode: 'miss.param.video' },
      { field: 'videoType', missCode: 'miss.param.video' },
      { field: 'picMediaId', missCode: 'miss.param.video' },
    ],
    optional: ['height', 'width'],
  },
];

const RULES_BY_KEY: ReadonlyMap<string, MsgKeyRule> = new Map(RULES.map((r) => [r.msgKey, r]));

/** Every msgKey the simulator accepts, in catalog order. */
export const SUPPORTED_MSG_KEYS: readonly string[] = RULES.map((r) => r.msgKey);

export function msgKeyRule(msgKey: string): MsgKeyRule | undefined {
  return RULES_BY_KEY.get(msgKey);
}

/**
 * The `miss.param.*` code for the first required field that is absent, null or blank, else undefined.
 * Blank strings count as missing: a card with an empty title renders as nothing on the user's screen.
 */
export function findMissingField(rule: MsgKeyRule, msgParam: Record<string, unknown>): RequiredField | undefined {
  for (const req of rule.required) {
    const value = msgParam[req.field];
    if (value === undefined || value === null) return req;
    if (typeof value === 'string' && value.trim() === '') return req;
  }
  return undefined;
}
