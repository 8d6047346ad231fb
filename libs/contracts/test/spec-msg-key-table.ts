/**
 * Spec §3.3's msgKey table, written out by hand for tests: the catalog is checked against this rather than
 * against itself, so a wrong or missing field in the catalog fails a test. Each entry has a valid msgParam with
 * every documented field, and the fields the spec marks optional.
 */
export interface SpecMsgKeyEntry {
  full: Record<string, string>;
  optional: string[];
}

export const SPEC_MSG_KEY_TABLE: Record<string, SpecMsgKeyEntry> = {
  sampleText: { full: { content: 'hello' }, optional: [] },
  sampleMarkdown: { full: { title: 'Weekly report', text: '# Done\n- **all** tasks' }, optional: [] },
  sampleImageMsg: { full: { photoURL: 'https://example.com/a.png' }, optional: [] },
  sampleLink: {
    full: { text: 'Summary', title: 'Read me', picUrl: '@lADOxxx', messageUrl: 'https://example.com/post' },
    optional: [],
  },
  sampleActionCard: {
    full: { title: 'Card', text: 'Body', singleTitle: 'Open', singleURL: 'https://example.com/open' },
    optional: [],
  },
  sampleActionCard2: {
    full: {
      title: 'Card',
      text: 'Body',
      actionTitle1: 'One',
      actionURL1: 'https://example.com/1',
      actionTitle2: 'Two',
      actionURL2: 'https://example.com/2',
    },
    optional: [],
  },
  sampleActionCard3: {
    full: {
      title: 'Card',
      text: 'Body',
      actionTitle1: 'One',
      actionURL1: 'https://example.com/1',
      actionTitle2: 'Two',
      actionURL2: 'https://example.com/2',
      actionTitle3: 'Three',
      actionURL3: 'https://example.com/3',
    },
    optional: [],
  },
  sampleActionCard4: {
    full: {
      title: 'Card',
      text: 'Body',
      actionTitle1: 'One',
      actionURL1: 'https://example.com/1',
      actionTitle2: 'Two',
      actionURL2: 'https://example.com/2',
      actionTitle3: 'Three',
      actionURL3: 'https://example.com/3',
      actionTitle4: 'Four',
      actionURL4: 'https://example.com/4',
    },
    optional: [],
  },
  sampleActionCard5: {
    full: {
      title: 'Card',
      text: 'Body',
      actionTitle1: 'One',
      actionURL1: 'https://example.com/1',
      actionTitle2: 'Two',
      actionURL2: 'https://example.com/2',
      actionTitle3: 'Three',
      actionURL3: 'https://example.com/3',
      actionTitle4: 'Four',
      actionURL4: 'https://example.com/4',
      actionTitle5: 'Five',
      actionURL5: 'https://example.com/5',
    },
    optional: [],
  },
  sampleActionCard6: {
    full: {
      title: 'Card',
      text: 'Body',
      buttonTitle1: 'Yes',
      buttonUrl1: 'https://example.com/yes',
      buttonTitle2: 'No',
      buttonUrl2: 'https://example.com/no',
    },
    optional: [],
  },
  sampleAudio: { full: { mediaId: '@audioMediaId', duration: '3000' }, optional: [] },
  sampleFile: { full: { mediaId: '@fileMediaId', fileName: 'report.pdf', fileType: 'pdf' }, optional: [] },
  sampleVideo: {
    full: {
      duration: '30',
      videoMediaId: '@videoMediaId',
      videoType: 'mp4',
      picMediaId: '@coverMediaId',
      height: '720',
      width: '1280',
    },
    optional: ['height', 'width'],
  },
};

export function requiredFieldsOf(entry: SpecMsgKeyEntry): string[] {
  return Object.keys(entry.full).filter((name) => !entry.optional.includes(name));
}
