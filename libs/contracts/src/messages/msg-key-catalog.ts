/**
 * The DingTalk robot message templates (`msgKey`) and the `msgParam` fields each takes, as documented for
 * `POST /v1.0/robot/oToMessages/batchSend` (spec §3.3). DingTalk's own per-field required-ness is only partly
 * confirmed (by its `miss.param.*` error codes), so every documented field is required here except those the
 * documentation itself marks optional: a send rejected up front is cheaper than one DingTalk rejects per batch.
 */

export const MsgKey = {
  SampleText: 'sampleText',
  SampleMarkdown: 'sampleMarkdown',
  SampleImageMsg: 'sampleImageMsg',
  SampleLink: 'sampleLink',
  SampleActionCard: 'sampleActionCard',
  SampleActionCard2: 'sampleActionCard2',
  SampleActionCard3: 'sampleActionCard3',
  SampleActionCard4: 'sampleActionCard4',
  SampleActionCard5: 'sampleActionCard5',
  SampleActionCard6: 'sampleActionCard6',
  SampleAudio: 'sampleAudio',
  SampleFile: 'sampleFile',
  SampleVideo: 'sampleVideo',
} as const;
export type MsgKey = (typeof MsgKey)[keyof typeof MsgKey];
export const MSG_KEYS: readonly MsgKey[] = Object.freeze(Object.values(MsgKey));

/** `fileType` values DingTalk lists for `sampleFile`. */
export const SAMPLE_FILE_TYPES = ['xlsx', 'pdf', 'zip', 'rar', 'doc', 'docx'] as const;
export type SampleFileType = (typeof SAMPLE_FILE_TYPES)[number];

/** `videoType` values DingTalk lists for `sampleVideo`. */
export const SAMPLE_VIDEO_TYPES = ['mp4'] as const;
export type SampleVideoType = (typeof SAMPLE_VIDEO_TYPES)[number];

/**
 * The `msgParam` object per msgKey. DingTalk takes every value as a string, numbers included (`duration: "3000"`),
 * so the types say `string` where a number might be expected.
 */
export interface MsgParamByKey {
  sampleText: { content: string };
  sampleMarkdown: { title: string; text: string };
  sampleImageMsg: { photoURL: string };
  sampleLink: { text: string; title: string; picUrl: string; messageUrl: string };
  sampleActionCard: { title: string; text: string; singleTitle: string; singleURL: string };
  sampleActionCard2: {
    title: string;
    text: string;
    actionTitle1: string;
    actionURL1: string;
    actionTitle2: string;
    actionURL2: string;
  };
  sampleActionCard3: {
    title: string;
    text: string;
    actionTitle1: string;
    actionURL1: string;
    actionTitle2: string;
    actionURL2: string;
    actionTitle3: string;
    actionURL3: string;
  };
  sampleActionCard4: {
    title: string;
    text: string;
    actionTitle1: string;
    actionURL1: string;
    actionTitle2: string;
    actionURL2: string;
    actionTitle3: string;
    actionURL3: string;
    actionTitle4: string;
    actionURL4: string;
  };
  sampleActionCard5: {
    title: string;
    text: string;
    actionTitle1: string;
    actionURL1: string;
    actionTitle2: string;
    actionURL2: string;
    actionTitle3: string;
    actionURL3: string;
    actionTitle4: string;
    actionURL4: string;
    actionTitle5: string;
    actionURL5: string;
  };
  sampleActionCard6: {
    title: string;
    text: string;
    buttonTitle1: string;
    buttonUrl1: string;
    buttonTitle2: string;
    buttonUrl2: string;
  };
  sampleAudio: { mediaId: string; duration: string };
  sampleFile: { mediaId: string; fileName: string; fileType: SampleFileType };
  sampleVideo: {
    duration: string;
    videoMediaId: string;
    videoType: SampleVideoType;
    picMediaId: string;
    height?: string;
    width?: string;
  };
}

/** The typed `msgParam` of one msgKey, e.g. `MsgParamOf<'sampleMarkdown'>` is `{ title: string; text: string }`. */
export type MsgParamOf<K extends MsgKey> = MsgParamByKey[K];

/** Any msgKey's `msgParam`. */
export type MsgParam = MsgParamByKey[MsgKey];

/**
 * A rule a field's string value must follow beyond being non-empty. Data rather than a RegExp so the catalog
 * can be serialized (docs, OpenAPI, another language's validator).
 */
export type MsgParamFieldFormat =
  /** ASCII digits only, e.g. a duration or a size; `unit` says what the number counts. */
  | { readonly kind: 'digits'; readonly unit: 'milliseconds' | 'seconds' | 'pixels' }
  /** Exactly one of `values` (case-sensitive, as DingTalk documents them). */
  | { readonly kind: 'oneOf'; readonly values: readonly string[] };

export interface MsgParamFieldSpec<Name extends string = string> {
  readonly name: Name;
  readonly required: boolean;
  readonly description: string;
  readonly format?: MsgParamFieldFormat;
}

/** Field names of one msgKey's msgParam; distributes over a union so `MsgParamFieldName<MsgKey>` is every name. */
export type MsgParamFieldName<K extends MsgKey = MsgKey> = K extends MsgKey ? keyof MsgParamByKey[K] & string : never;

/** One catalog entry; `MsgKeyDefinition` without an argument is the union of all entries. */
export type MsgKeyDefinition<K extends MsgKey = MsgKey> = K extends MsgKey
  ? {
      readonly msgKey: K;
      readonly description: string;
      /** In DingTalk's documented order. */
      readonly fields: readonly MsgParamFieldSpec<MsgParamFieldName<K>>[];
    }
  : never;

const title = { name: 'title', required: true, description: 'Title shown in the chat list preview.' } as const;
const markdownText = {
  name: 'text',
  required: true,
  description: 'Body in DingTalk markdown (headings, quotes, bold, italic, links, images, lists).',
} as const;

function actionButtons<N extends 1 | 2 | 3 | 4 | 5>(
  numbers: readonly N[],
): MsgParamFieldSpec<`actionTitle${N}` | `actionURL${N}`>[] {
  return numbers.flatMap((n) => [
    { name: `actionTitle${n}` as const, required: true, description: `Label of vertical button ${n}.` },
    { name: `actionURL${n}` as const, required: true, description: `Link opened by vertical button ${n}.` },
  ]);
}

/**
 * Frozen deeply: the catalog is shared module state, and a consumer that edited it would change validation
 * for every other caller in the process.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const MSG_KEY_CATALOG: { readonly [K in MsgKey]: MsgKeyDefinition<K> } = deepFreeze({
  sampleText: {
    msgKey: 'sampleText',
    description: 'Plain text.',
    fields: [{ name: 'content', required: true, description: 'The text.' }],
  },
  sampleMarkdown: {
    msgKey: 'sampleMarkdown',
    description: 'Markdown message.',
    fields: [title, markdownText],
  },
  sampleImageMsg: {
    msgKey: 'sampleImageMsg',
    description: 'Image.',
    fields: [
      { name: 'photoURL', required: true, description: 'Image URL, or a mediaId from the media upload API.' },
    ],
  },
  sampleLink: {
    msgKey: 'sampleLink',
    description: 'Link card.',
    fields: [
      { name: 'text', required: true, description: 'Summary text of the link.' },
      { name: 'title', required: true, description: 'Title of the link.' },
      { name: 'picUrl', required: true, description: 'Picture URL, or a mediaId (e.g. `@lADO…`).' },
      { name: 'messageUrl', required: true, description: 'Link opened when the card is clicked.' },
    ],
  },
  sampleActionCard: {
    msgKey: 'sampleActionCard',
    description: 'Action card with one button.',
    fields: [
      title,
      markdownText,
      { name: 'singleTitle', required: true, description: 'Label of the single button.' },
      { name: 'singleURL', required: true, description: 'Link opened by the single button.' },
    ],
  },
  sampleActionCard2: {
    msgKey: 'sampleActionCard2',
    description: 'Action card with 2 vertical buttons.',
    fields: [title, markdownText, ...actionButtons([1, 2])],
  },
  sampleActionCard3: {
    msgKey: 'sampleActionCard3',
    description: 'Action card with 3 vertical buttons.',
    fields: [title, markdownText, ...actionButtons([1, 2, 3])],
  },
  sampleActionCard4: {
    msgKey: 'sampleActionCard4',
    description: 'Action card with 4 vertical buttons.',
    fields: [title, markdownText, ...actionButtons([1, 2, 3, 4])],
  },
  sampleActionCard5: {
    msgKey: 'sampleActionCard5',
    description: 'Action card with 5 vertical buttons.',
    fields: [title, markdownText, ...actionButtons([1, 2, 3, 4, 5])],
  },
  sampleActionCard6: {
    msgKey: 'sampleActionCard6',
    description: 'Action card with 2 horizontal buttons (note the buttonTitleN/buttonUrlN names).',
    fields: [
      title,
      markdownText,
      { name: 'buttonTitle1', required: true, description: 'Label of horizontal button 1.' },
      { name: 'buttonUrl1', required: true, description: 'Link opened by horizontal button 1.' },
      { name: 'buttonTitle2', required: true, description: 'Label of horizontal button 2.' },
      { name: 'buttonUrl2', required: true, description: 'Link opened by horizontal button 2.' },
    ],
  },
  sampleAudio: {
    msgKey: 'sampleAudio',
    description: 'Voice message (ogg or amr file uploaded as media).',
    fields: [
      { name: 'mediaId', required: true, description: 'mediaId of the uploaded audio file.' },
      {
        name: 'duration',
        required: true,
        description: 'Length of the audio in milliseconds, as a string of digits.',
        format: { kind: 'digits', unit: 'milliseconds' },
      },
    ],
  },
  sampleFile: {
    msgKey: 'sampleFile',
    description: 'File.',
    fields: [
      { name: 'mediaId', required: true, description: 'mediaId of the uploaded file.' },
      { name: 'fileName', required: true, description: 'File name shown to the recipient.' },
      {
        name: 'fileType',
        required: true,
        description: 'File extension, one of xlsx, pdf, zip, rar, doc, docx.',
        format: { kind: 'oneOf', values: SAMPLE_FILE_TYPES },
      },
    ],
  },
  sampleVideo: {
    msgKey: 'sampleVideo',
    description: 'Video.',
    fields: [
      {
        name: 'duration',
        required: true,
        description: 'Length of the video in seconds, as a string of digits.',
        format: { kind: 'digits', unit: 'seconds' },
      },
      { name: 'videoMediaId', required: true, description: 'mediaId of the uploaded video.' },
      {
        name: 'videoType',
        required: true,
        description: 'Video format; only mp4 is documented.',
        format: { kind: 'oneOf', values: SAMPLE_VIDEO_TYPES },
      },
      { name: 'picMediaId', required: true, description: 'mediaId of the cover image.' },
      {
        name: 'height',
        required: false,
        description: 'Video height in pixels, as a string of digits.',
        format: { kind: 'digits', unit: 'pixels' },
      },
      {
        name: 'width',
        required: false,
        description: 'Video width in pixels, as a string of digits.',
        format: { kind: 'digits', unit: 'pixels' },
      },
    ],
  },
});

export function isMsgKey(value: unknown): value is MsgKey {
  return typeof value === 'string' && Object.hasOwn(MSG_KEY_CATALOG, value);
}
