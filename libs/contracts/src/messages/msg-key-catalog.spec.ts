import { isMsgKey, MSG_KEY_CATALOG, MSG_KEYS, MsgKey, type MsgParam, type MsgParamOf } from './msg-key-catalog.js';
import { requiredFieldsOf, SPEC_MSG_KEY_TABLE } from '../../test/spec-msg-key-table.js';

// Compile-time checks: a wrong MsgParamByKey entry fails `npm run typecheck`.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeChecks: [
  Equals<MsgParamOf<'sampleMarkdown'>, { title: string; text: string }>,
  Equals<MsgParamOf<'sampleText'>, { content: string }>,
  Equals<MsgParamOf<'sampleFile'>['fileType'], 'xlsx' | 'pdf' | 'zip' | 'rar' | 'doc' | 'docx'>,
  Equals<keyof MsgParamOf<'sampleActionCard6'>, 'title' | 'text' | 'buttonTitle1' | 'buttonUrl1' | 'buttonTitle2' | 'buttonUrl2'>,
  Equals<MsgParamOf<'sampleVideo'>['height'], string | undefined>,
] = [true, true, true, true, true];

describe('msgKey catalog', () => {
  it('has exactly the msgKeys of spec §3.3', () => {
    expect([...MSG_KEYS].sort()).toEqual(Object.keys(SPEC_MSG_KEY_TABLE).sort());
    expect(Object.keys(MSG_KEY_CATALOG).sort()).toEqual(Object.keys(SPEC_MSG_KEY_TABLE).sort());
    expect(MsgKey.SampleActionCard6).toBe('sampleActionCard6');
    expect(typeChecks.every(Boolean)).toBe(true);
  });

  it.each(Object.entries(SPEC_MSG_KEY_TABLE))('%s lists the spec fields with their required-ness', (key, entry) => {
    const definition = MSG_KEY_CATALOG[key as MsgKey];
    expect(definition.msgKey).toBe(key);
    expect(definition.fields.map((f) => f.name)).toEqual(Object.keys(entry.full));
    expect(definition.fields.filter((f) => f.required).map((f) => f.name)).toEqual(requiredFieldsOf(entry));
    for (const field of definition.fields) expect(field.description.length).toBeGreaterThan(0);
  });

  it('carries the format rules the spec states', () => {
    const format = (key: MsgKey, name: string) => MSG_KEY_CATALOG[key].fields.find((f) => f.name === name)?.format;
    expect(format('sampleFile', 'fileType')).toEqual({ kind: 'oneOf', values: ['xlsx', 'pdf', 'zip', 'rar', 'doc', 'docx'] });
    expect(format('sampleAudio', 'duration')).toEqual({ kind: 'digits', unit: 'milliseconds' });
    expect(format('sampleVideo', 'duration')).toEqual({ kind: 'digits', unit: 'seconds' });
    expect(format('sampleVideo', 'videoType')).toEqual({ kind: 'oneOf', values: ['mp4'] });
    expect(format('sampleVideo', 'height')).toEqual({ kind: 'digits', unit: 'pixels' });
    expect(format('sampleVideo', 'width')).toEqual({ kind: 'digits', unit: 'pixels' });
    expect(format('sampleMarkdown', 'title')).toBeUndefined();
  });

  it('is frozen so one consumer cannot change validation for another', () => {
    expect(Object.isFrozen(MSG_KEY_CATALOG)).toBe(true);
    expect(Object.isFrozen(MSG_KEY_CATALOG.sampleText.fields[0])).toBe(true);
    expect(Object.isFrozen(MSG_KEYS)).toBe(true);
  });

  it('recognises msgKeys exactly', () => {
    expect(isMsgKey('sampleText')).toBe(true);
    expect(isMsgKey('SampleText')).toBe(false);
    expect(isMsgKey('sampleActionCard1')).toBe(false);
    expect(isMsgKey('toString')).toBe(false);
    expect(isMsgKey(7)).toBe(false);
    const param: MsgParam = { content: 'typed' };
    expect(param).toEqual({ content: 'typed' });
  });
});
