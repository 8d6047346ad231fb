import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { SPEC_MSG_KEY_TABLE } from '../../test/spec-msg-key-table.js';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { toApiErrorDetails } from '../errors/to-api-error-details.js';
import { MSG_KEYS } from '../messages/msg-key-catalog.js';
import { MAX_RECIPIENTS_PER_SEND } from '../validation/user-id-list.constraint.js';
import { CreateSendRequest } from './create-send.request.js';

// The options the API's global ValidationPipe uses.
const PIPE_OPTIONS = { whitelist: true, forbidNonWhitelisted: true };

async function check(body: Record<string, unknown>): Promise<ApiErrorDetail[]> {
  const errors = await validate(plainToInstance(CreateSendRequest, body), PIPE_OPTIONS);
  return toApiErrorDetails(errors);
}
const fields = (details: ApiErrorDetail[]) => details.map((d) => d.field);

const valid = {
  userIds: ['manager4220', 'staff-01'],
  msgKey: 'sampleMarkdown',
  msgParam: { title: 'Weekly report', text: '# Done' },
};

describe('CreateSendRequest', () => {
  it('accepts a valid request, with and without a delivery policy', async () => {
    expect(await check(valid)).toEqual([]);
    expect(await check({ ...valid, deliveryPolicy: 'at-most-once' })).toEqual([]);
    expect(await check({ ...valid, deliveryPolicy: 'at-least-once' })).toEqual([]);
  });

  it.each(Object.entries(SPEC_MSG_KEY_TABLE))('accepts msgKey %s with its full msgParam', async (msgKey, entry) => {
    expect(await check({ ...valid, msgKey, msgParam: entry.full })).toEqual([]);
  });

  it('allows duplicate userIds (the server removes them)', async () => {
    expect(await check({ ...valid, userIds: ['a', 'a', 'b'] })).toEqual([]);
  });

  describe('userIds', () => {
    it('rejects an empty list', async () => {
      expect(await check({ ...valid, userIds: [] })).toEqual([
        { field: 'userIds', message: 'userIds must contain at least 1 userId' },
      ]);
    });

    it('rejects a missing or non-array value', async () => {
      const { userIds: _omitted, ...withoutUserIds } = valid;
      expect(await check(withoutUserIds)).toEqual([
        { field: 'userIds', message: 'userIds is required and must be an array of userIds' },
      ]);
      expect(await check({ ...valid, userIds: 'a,b' })).toEqual([
        { field: 'userIds', message: 'userIds must be an array of userIds, got string' },
      ]);
    });

    it(`accepts ${MAX_RECIPIENTS_PER_SEND} userIds quickly and rejects one more`, async () => {
      const userIds = Array.from({ length: MAX_RECIPIENTS_PER_SEND }, (_, i) => `user${i}`);
      const started = performance.now();
      expect(await check({ ...valid, userIds })).toEqual([]);
      const elapsedMs = performance.now() - started;
      // Measured at ~40 ms on 2 cores (transform + validate); the bound only catches an accidental O(n²) or
      // per-entry decorator pass.
      expect(elapsedMs).toBeLessThan(1500);

      expect(await check({ ...valid, userIds: [...userIds, 'one-more'] })).toEqual([
        { field: 'userIds', message: 'userIds must contain at most 100000 userIds, got 100001' },
      ]);
    });

    it('names each bad entry by index', async () => {
      const userIds = ['ok', '', 'has space', 42, 'x'.repeat(65), 'tab\there', 'zero\u200bwidth', 'bell\u0007', null];
      expect(await check({ ...valid, userIds })).toEqual([
        { field: 'userIds.1', message: 'userIds.1 must not be empty' },
        { field: 'userIds.2', message: 'userIds.2 must not contain whitespace, control or invisible characters' },
        { field: 'userIds.3', message: 'userIds.3 must be a string, got number' },
        { field: 'userIds.4', message: 'userIds.4 must be at most 64 characters, got 65' },
        { field: 'userIds.5', message: 'userIds.5 must not contain whitespace, control or invisible characters' },
        { field: 'userIds.6', message: 'userIds.6 must not contain whitespace, control or invisible characters' },
        { field: 'userIds.7', message: 'userIds.7 must not contain whitespace, control or invisible characters' },
        { field: 'userIds.8', message: 'userIds.8 must be a string, got null' },
      ]);
    });

    it('counts characters, not UTF-16 units, against the 64 limit', async () => {
      expect(await check({ ...valid, userIds: ['用'.repeat(64), '😀'.repeat(64)] })).toEqual([]);
      expect(fields(await check({ ...valid, userIds: ['😀'.repeat(65)] }))).toEqual(['userIds.0']);
    });

    it('lists the first 10 bad entries and counts the rest', async () => {
      const userIds = ['ok', ...Array.from({ length: 50 }, () => '')];
      const details = await check({ ...valid, userIds });
      expect(fields(details)).toEqual([...Array.from({ length: 10 }, (_, i) => `userIds.${i + 1}`), 'userIds']);
      expect(details[10]?.message).toBe('userIds has 40 more invalid entries that are not listed');
    });
  });

  describe('msgKey', () => {
    it('rejects an unknown msgKey, listing the valid ones, without judging msgParam fields', async () => {
      expect(await check({ ...valid, msgKey: 'sampleActionCard1' })).toEqual([
        {
          field: 'msgKey',
          message: `msgKey "sampleActionCard1" is not a supported msgKey; expected one of: ${MSG_KEYS.join(', ')}`,
        },
      ]);
    });

    it('rejects a missing msgKey', async () => {
      const { msgKey: _omitted, ...withoutMsgKey } = valid;
      expect(fields(await check(withoutMsgKey))).toEqual(['msgKey']);
    });
  });

  describe('msgParam', () => {
    it('names a missing field', async () => {
      expect(await check({ ...valid, msgParam: { title: 'only a title' } })).toEqual([
        { field: 'msgParam.text', message: 'msgParam.text is required for sampleMarkdown' },
      ]);
    });

    it('reports every problem as its own detail', async () => {
      const details = await check({
        ...valid,
        msgKey: 'sampleFile',
        msgParam: { mediaId: '', fileType: 'exe', Title: 'x', 'two words': 'y', $value: 'z' },
      });
      expect(details).toEqual([
        { field: 'msgParam.mediaId', message: 'msgParam.mediaId must not be empty' },
        { field: 'msgParam.fileName', message: 'msgParam.fileName is required for sampleFile' },
        {
          field: 'msgParam.fileType',
          message: 'msgParam.fileType must be one of: xlsx, pdf, zip, rar, doc, docx, got "exe"',
        },
        {
          field: 'msgParam.Title',
          message: 'msgParam.Title is not a field of sampleFile; expected one of: mediaId, fileName, fileType',
        },
        {
          field: 'msgParam["two\\u0020words"]',
          message: 'msgParam["two\\u0020words"] is not a field of sampleFile; expected one of: mediaId, fileName, fileType',
        },
        {
          field: 'msgParam["\\u0024value"]',
          message: 'msgParam["\\u0024value"] is not a field of sampleFile; expected one of: mediaId, fileName, fileType',
        },
      ]);
    });

    it('rejects a missing msgParam or a JSON string in its place', async () => {
      const { msgParam: _omitted, ...withoutParam } = valid;
      expect(await check(withoutParam)).toEqual([
        { field: 'msgParam', message: 'msgParam is required and must be a JSON object' },
      ]);
      expect(fields(await check({ ...valid, msgParam: JSON.stringify(valid.msgParam) }))).toEqual(['msgParam']);
    });

    it('enforces the size limit', async () => {
      const details = await check({ ...valid, msgParam: { title: 't', text: 'ü'.repeat(7500) } });
      expect(details).toEqual([
        { field: 'msgParam', message: 'msgParam is 15023 bytes as UTF-8 JSON; the limit is 15000 bytes' },
      ]);
    });
  });

  it('rejects an extra top-level field', async () => {
    expect(await check({ ...valid, robotCode: 'dingxxxx' })).toEqual([
      { field: 'robotCode', message: 'property robotCode should not exist' },
    ]);
  });

  it('rejects an unknown delivery policy', async () => {
    expect(await check({ ...valid, deliveryPolicy: 'exactly-once' })).toEqual([
      { field: 'deliveryPolicy', message: 'deliveryPolicy must be one of: at-least-once, at-most-once, got "exactly-once"' },
    ]);
  });

  it('reports problems in several fields together', async () => {
    const details = await check({ userIds: [], msgKey: 'nope', msgParam: [], extra: 1 });
    expect(fields(details)).toEqual(['extra', 'userIds', 'msgKey', 'msgParam']);
  });
});
