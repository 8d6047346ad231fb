import { requiredFieldsOf, SPEC_MSG_KEY_TABLE } from '../../test/spec-msg-key-table.js';
import { MSG_KEYS } from './msg-key-catalog.js';
import { MAX_MSG_PARAM_BYTES, validateMsgParam } from './validate-msg-param.js';

const fieldsOf = (details: { field: string }[]) => details.map((d) => d.field);
const specKeys = Object.entries(SPEC_MSG_KEY_TABLE);
const requiredCases = specKeys.flatMap(([key, entry]) => requiredFieldsOf(entry).map((name) => [key, name] as const));

/** A sampleText msgParam whose JSON is exactly `bytes` long in UTF-8, made mostly of 3-byte characters. */
function textParamOfBytes(bytes: number): { content: string } {
  const overhead = Buffer.byteLength(JSON.stringify({ content: '' }), 'utf8');
  const payload = bytes - overhead;
  const content = '中'.repeat(Math.floor(payload / 3)) + 'a'.repeat(payload % 3);
  expect(Buffer.byteLength(JSON.stringify({ content }), 'utf8')).toBe(bytes);
  return { content };
}

describe('validateMsgParam', () => {
  it.each(specKeys)('accepts %s with every documented field', (key, entry) => {
    expect(validateMsgParam(key, { ...entry.full })).toEqual([]);
  });

  it.each(specKeys.filter(([, entry]) => entry.optional.length > 0))(
    'accepts %s without its optional fields',
    (key, entry) => {
      const param = Object.fromEntries(Object.entries(entry.full).filter(([name]) => !entry.optional.includes(name)));
      expect(validateMsgParam(key, param)).toEqual([]);
    },
  );

  it('has a required-field case for every msgKey', () => {
    expect(new Set(requiredCases.map(([key]) => key))).toEqual(new Set(MSG_KEYS));
  });

  it.each(requiredCases)('rejects %s without %s, naming the field', (key, name) => {
    const param: Record<string, string> = { ...SPEC_MSG_KEY_TABLE[key]!.full };
    delete param[name];
    expect(validateMsgParam(key, param)).toEqual([
      { field: `msgParam.${name}`, message: `msgParam.${name} is required for ${key}` },
    ]);
  });

  it.each(requiredCases)('rejects %s with an empty or blank %s', (key, name) => {
    for (const blank of ['', '   ']) {
      const details = validateMsgParam(key, { ...SPEC_MSG_KEY_TABLE[key]!.full, [name]: blank });
      expect(details).toEqual([{ field: `msgParam.${name}`, message: `msgParam.${name} must not be empty` }]);
    }
  });

  it.each([
    [42, 'number'],
    [true, 'boolean'],
    [null, 'null'],
    [['a'], 'an array'],
    [{ a: 'b' }, 'an object'],
  ])('rejects a non-string value (%j)', (value, described) => {
    expect(validateMsgParam('sampleMarkdown', { title: value, text: 'body' })).toEqual([
      { field: 'msgParam.title', message: `msgParam.title must be a string, got ${described}` },
    ]);
  });

  it('rejects a number even where DingTalk means a number', () => {
    expect(fieldsOf(validateMsgParam('sampleAudio', { mediaId: '@m', duration: 3000 }))).toEqual(['msgParam.duration']);
    expect(fieldsOf(validateMsgParam('sampleVideo', { ...SPEC_MSG_KEY_TABLE.sampleVideo!.full, width: 1280 }))).toEqual([
      'msgParam.width',
    ]);
  });

  it('rejects unknown fields, listing the expected ones', () => {
    expect(validateMsgParam('sampleMarkdown', { Title: 'x', title: 'x', text: 'y' })).toEqual([
      { field: 'msgParam.Title', message: 'msgParam.Title is not a field of sampleMarkdown; expected one of: title, text' },
    ]);
    // sampleActionCard6 uses buttonUrlN, not the buttonURLN some clients guess.
    const card6 = { ...SPEC_MSG_KEY_TABLE.sampleActionCard6!.full };
    const { buttonUrl1, ...rest } = card6;
    expect(fieldsOf(validateMsgParam('sampleActionCard6', { ...rest, buttonURL1: buttonUrl1 }))).toEqual([
      'msgParam.buttonUrl1',
      'msgParam.buttonURL1',
    ]);
  });

  it('names odd unknown keys unambiguously and without whitespace or $', () => {
    const details = validateMsgParam('sampleText', { content: 'hi', 'a b.c': 'x', $value: 'y', '': 'z' });
    expect(fieldsOf(details)).toEqual([
      'msgParam["a\\u0020b.c"]',
      'msgParam["\\u0024value"]',
      'msgParam[""]',
    ]);
    for (const { field, message } of details) expect(message.startsWith(`${field} `)).toBe(true);
  });

  it('reports the first 20 unknown fields and counts the rest', () => {
    const param: Record<string, string> = { content: 'hi' };
    for (let i = 0; i < 25; i++) param[`extra${i}`] = 'x';
    const details = validateMsgParam('sampleText', param);
    expect(details).toHaveLength(21);
    expect(details[20]).toEqual({
      field: 'msgParam',
      message: 'msgParam has 5 more fields that are not fields of sampleText; expected one of: content',
    });
  });

  it.each([
    ['sampleFile', 'fileType', 'PDF', 'must be one of: xlsx, pdf, zip, rar, doc, docx, got "PDF"'],
    ['sampleFile', 'fileType', 'txt', 'must be one of: xlsx, pdf, zip, rar, doc, docx, got "txt"'],
    ['sampleAudio', 'duration', '3.5', 'must be a whole number of milliseconds written as digits only, got "3.5"'],
    ['sampleAudio', 'duration', '-1', 'must be a whole number of milliseconds written as digits only, got "-1"'],
    ['sampleVideo', 'duration', '30s', 'must be a whole number of seconds written as digits only, got "30s"'],
    ['sampleVideo', 'videoType', 'mov', 'must be one of: mp4, got "mov"'],
    ['sampleVideo', 'height', '720px', 'must be a whole number of pixels written as digits only, got "720px"'],
    ['sampleVideo', 'width', ' 1280', 'must be a whole number of pixels written as digits only, got " 1280"'],
  ])('applies the format rule of %s.%s (%j)', (key, name, value, message) => {
    const param = { ...SPEC_MSG_KEY_TABLE[key]!.full, [name]: value };
    expect(validateMsgParam(key, param)).toEqual([{ field: `msgParam.${name}`, message: `msgParam.${name} ${message}` }]);
  });

  it('accepts every documented fileType', () => {
    for (const fileType of ['xlsx', 'pdf', 'zip', 'rar', 'doc', 'docx']) {
      expect(validateMsgParam('sampleFile', { ...SPEC_MSG_KEY_TABLE.sampleFile!.full, fileType })).toEqual([]);
    }
  });

  it('rejects an empty optional field rather than sending it', () => {
    expect(validateMsgParam('sampleVideo', { ...SPEC_MSG_KEY_TABLE.sampleVideo!.full, height: '' })).toEqual([
      { field: 'msgParam.height', message: 'msgParam.height must not be empty (omit it instead)' },
    ]);
  });

  it('reports every problem at once', () => {
    expect(fieldsOf(validateMsgParam('sampleFile', { fileName: 7, fileType: 'exe', note: 'x' }))).toEqual([
      'msgParam.mediaId',
      'msgParam.fileName',
      'msgParam.fileType',
      'msgParam.note',
    ]);
  });

  describe('size limit', () => {
    it('is 15000 bytes', () => {
      expect(MAX_MSG_PARAM_BYTES).toBe(15000);
    });

    it('accepts exactly 15000 bytes of UTF-8 JSON', () => {
      const param = textParamOfBytes(15000);
      expect(param.content.length).toBeLessThan(5100);
      expect(validateMsgParam('sampleText', param)).toEqual([]);
    });

    it('rejects 15001 bytes even though the string is a third as long', () => {
      expect(validateMsgParam('sampleText', textParamOfBytes(15001))).toEqual([
        { field: 'msgParam', message: 'msgParam is 15001 bytes as UTF-8 JSON; the limit is 15000 bytes' },
      ]);
    });

    it('counts JSON escapes and 4-byte characters', () => {
      // 3750 emoji = 15000 bytes of content alone, plus the JSON around it.
      expect(fieldsOf(validateMsgParam('sampleText', { content: '😀'.repeat(3750) }))).toEqual(['msgParam']);
      // Each quote serializes as two bytes.
      expect(fieldsOf(validateMsgParam('sampleText', { content: '"'.repeat(7500) }))).toEqual(['msgParam']);
      expect(validateMsgParam('sampleText', { content: '"'.repeat(7492) })).toEqual([]);
    });

    it('is checked alongside field problems', () => {
      const details = validateMsgParam('sampleMarkdown', { title: 'x'.repeat(16000) });
      expect(fieldsOf(details)).toEqual(['msgParam.text', 'msgParam']);
    });
  });

  describe('shape', () => {
    it.each([
      [undefined, 'msgParam is required and must be a JSON object'],
      [null, 'msgParam is required and must be a JSON object'],
      [['hello'], 'msgParam must be a JSON object, got an array'],
      [3, 'msgParam must be a JSON object, got number'],
    ])('rejects %j', (value, message) => {
      expect(validateMsgParam('sampleText', value)).toEqual([{ field: 'msgParam', message }]);
    });

    it('explains a JSON-encoded string', () => {
      const [detail] = validateMsgParam('sampleText', '{"content":"hi"}');
      expect(detail?.field).toBe('msgParam');
      expect(detail?.message).toMatch(/^msgParam must be a JSON object, got string \(send the object itself/);
    });
  });

  describe('unknown msgKey', () => {
    it('names msgKey and lists the valid keys', () => {
      expect(validateMsgParam('sampleActionCard1', { content: 'hi' })).toEqual([
        {
          field: 'msgKey',
          message: `msgKey "sampleActionCard1" is not a supported msgKey; expected one of: ${MSG_KEYS.join(', ')}`,
        },
      ]);
    });

    it('still checks what it can of msgParam', () => {
      expect(fieldsOf(validateMsgParam('nope', 'text'))).toEqual(['msgKey', 'msgParam']);
    });

    it('does not let a hostile msgKey break the message', () => {
      const [detail] = validateMsgParam('a\nb$value', {});
      expect(detail?.message).toContain('msgKey "a\\nb\\u0024value" is not a supported msgKey');
      expect(validateMsgParam(undefined as unknown as string, {})[0]?.message).toMatch(/^msgKey is required; expected/);
    });
  });
});
