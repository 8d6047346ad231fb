import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { DingrelayApiError, DingrelayClient, type SendStatsResponse } from '@dingrelay/contracts/client';
import { deleteQueuePrefix, openTestDataSource, uniqueQueuePrefix } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { freeDay, insertHistorySend } from './support/history-fixtures.js';
import { apiRequest, createTestApiKey, ensureTestChatConfiguration, startTestApi } from './support/test-api.js';

type Query = Record<string, string | string[]>;

const ZERO_SENDS = { total: 0, accepted: 0, delivering: 0, completed: 0, cancelled: 0 };
const ZERO_RECIPIENTS = { total: 0, pending: 0, delivered: 0, invalid: 0, failed: 0, cancelled: 0, unknown: 0 };
const HOUR = 3_600_000;

describe('GET /v1/stats/sends', () => {
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('stats');
  const run = randomUUID().slice(0, 8);
  const cfgA = `stats-a-${run}`;
  const cfgB = `stats-b-${run}`;
  // A day of this run's own (from 1992, after Shanghai's last daylight saving time): only this suite's sends fall
  // around it, so even unfiltered totals are exact in the shared database.
  let day: number;
  const iso = (ms: number) => new Date(day + ms).toISOString();
  const at = iso;
  const keys = {} as Record<'sender' | 'otherSender' | 'auditor', string>;

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'stats-robot' });
    db = await openTestDataSource();
    day = await freeDay(db, 1992, 3000);
    oneDay.createdFrom = iso(0);
    oneDay.createdTo = iso(24 * HOUR);
    for (const cfg of [cfgA, `stats-none-${run}`]) await ensureTestChatConfiguration(api, cfg);
    keys.sender = (await createTestApiKey(api, { role: 'sender', name: `stats-sender-${run}`, chatConfigurations: [cfgA] })).key;
    keys.otherSender = (await createTestApiKey(api, { role: 'sender', name: `stats-other-${run}`, chatConfigurations: [`stats-none-${run}`] })).key;
    keys.auditor = (await createTestApiKey(api, { role: 'auditor', name: `stats-auditor-${run}` })).key;
    const r = (status: string, n: number) => Array.from({ length: n }, () => ({ userId: `u-${randomUUID()}`, status }));
    // Just before the day: outside a range starting at its midnight.
    await insertHistorySend(db, { chatConfiguration: cfgA, createdAt: at(-1), recipients: r('delivered', 5) });
    // The day's 00:00 exactly: createdFrom is inclusive. Completed, its outcome kept on the row.
    await insertHistorySend(db, { chatConfiguration: cfgA, createdAt: at(0), recipients: [...r('delivered', 3), ...r('invalid', 1)], ambiguousCalls: 2 });
    // 01:00-02:00: one of each kind of row reading.
    await insertHistorySend(db, { chatConfiguration: cfgA, createdAt: at(1.5 * HOUR), state: 'cancelled', recipients: [...r('delivered', 1), ...r('cancelled', 2)] });
    // Still delivering: counted from its recipients and batch.
    await insertHistorySend(db, {
      chatConfiguration: cfgA,
      createdAt: at(2 * HOUR - 1),
      state: 'delivering',
      recipients: [...r('pending', 2), ...r('delivered', 1)],
      ambiguousCalls: 1,
    });
    await insertHistorySend(db, { chatConfiguration: cfgB, createdAt: at(HOUR), recipients: [...r('failed', 1), ...r('unknown', 1)] });
    await insertHistorySend(db, { chatConfiguration: cfgA, createdAt: at(5 * HOUR), state: 'accepted', recipients: r('pending', 1) });
    await insertHistorySend(db, { chatConfiguration: cfgB, createdAt: at(24 * HOUR - 1000), recipients: r('delivered', 1) });
    // The next day's midnight: outside a one-day range (createdTo is exclusive). Completed by a worker of the version
    // before outcomes were kept: counted from its rows.
    await insertHistorySend(db, { chatConfiguration: cfgA, createdAt: at(24 * HOUR), recipients: r('delivered', 2), ambiguousCalls: 1, keepsOutcome: false });
  });

  afterAll(async () => {
    await api?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  async function stats(query: Query, key?: string | null): Promise<SendStatsResponse> {
    const res = await apiRequest(api, key).get('/v1/stats/sends').query(query);
    expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
    return res.body as SendStatsResponse;
  }

  /** The whole day, set once the day is chosen. */
  const oneDay = { createdFrom: '', createdTo: '' };

  it('hour buckets over a day: every hour in order, empty ones included, each send by its status now, and the totals', async () => {
    const body = await stats({ ...oneDay, interval: 'hour' });
    expect(body).toMatchObject({ createdFrom: iso(0), createdTo: iso(24 * HOUR), interval: 'hour', timeZone: 'UTC' });
    expect(body.buckets.map((b) => b.start)).toEqual(Array.from({ length: 24 }, (_, h) => iso(h * HOUR)));
    const nonEmpty = Object.fromEntries(body.buckets.map((b, h) => [h, b.sends]).filter(([, s]) => (s as typeof ZERO_SENDS).total > 0));
    expect(nonEmpty).toEqual({
      0: { ...ZERO_SENDS, total: 1, completed: 1 },
      1: { ...ZERO_SENDS, total: 3, completed: 1, cancelled: 1, delivering: 1 },
      5: { ...ZERO_SENDS, total: 1, accepted: 1 },
      23: { ...ZERO_SENDS, total: 1, completed: 1 },
    });
    expect(body.sends).toEqual({ total: 6, completed: 3, cancelled: 1, delivering: 1, accepted: 1 });
    expect(body.recipients).toEqual({ total: 14, delivered: 6, invalid: 1, cancelled: 2, pending: 3, failed: 1, unknown: 1 });
    // The completed send's kept calls and the delivering send's batch.
    expect(body.ambiguousCalls).toBe(3);
  });

  it('filters by chatConfiguration; a send completed without a kept outcome is counted from its rows', async () => {
    const a = await stats({ ...oneDay, interval: 'hour', chatConfiguration: cfgA });
    expect(a.sends).toEqual({ total: 4, completed: 1, cancelled: 1, delivering: 1, accepted: 1 });
    expect(a.recipients).toEqual({ ...ZERO_RECIPIENTS, total: 11, delivered: 5, invalid: 1, cancelled: 2, pending: 3 });
    expect(a.ambiguousCalls).toBe(3);
    const twoDays = await stats({ createdFrom: iso(0), createdTo: iso(48 * HOUR), interval: 'day', chatConfiguration: cfgA });
    expect(twoDays.buckets).toEqual([
      { start: iso(0), sends: { total: 4, completed: 1, cancelled: 1, delivering: 1, accepted: 1 } },
      { start: iso(24 * HOUR), sends: { ...ZERO_SENDS, total: 1, completed: 1 } },
    ]);
    expect(twoDays.recipients.delivered).toBe(7);
    expect(twoDays.ambiguousCalls).toBe(4);
    const nothing = await stats({ ...oneDay, interval: 'day', chatConfiguration: `stats-nothing-${run}` });
    expect(nothing).toMatchObject({ buckets: [{ start: iso(0), sends: ZERO_SENDS }], sends: ZERO_SENDS, recipients: ZERO_RECIPIENTS, ambiguousCalls: 0 });
  });

  it('day buckets start at local midnight in timeZone; the first bucket starts at createdFrom', async () => {
    const date = (offsetDays: number) => new Date(day + offsetDays * 86_400_000).toISOString().slice(0, 10);
    // The day and the next in Shanghai (UTC+8): the first bucket takes the sends of the UTC day up to 16:00.
    const shanghai = await stats({ createdFrom: `${date(0)}T00:00:00+08:00`, createdTo: `${date(2)}T00:00:00+08:00`, interval: 'day', timeZone: 'Asia/Shanghai' });
    expect(shanghai.timeZone).toBe('Asia/Shanghai');
    expect(shanghai.buckets.map((b) => [b.start, b.sends.total])).toEqual([
      [iso(-8 * HOUR), 6],
      [iso(16 * HOUR), 2],
    ]);
    // createdFrom off midnight: the first bucket starts there and runs to the next local midnight.
    const offset = await stats({ createdFrom: iso(HOUR), createdTo: iso(30 * HOUR), interval: 'day', timeZone: 'Asia/Shanghai' });
    expect(offset.buckets.map((b) => [b.start, b.sends.total])).toEqual([
      [iso(HOUR), 4],
      [iso(16 * HOUR), 2],
    ]);
  });

  it.each([
    [
      'a day that loses an hour (America/New_York, spring forward) lasts 23 hours',
      { createdFrom: '2026-03-07T00:00:00-05:00', createdTo: '2026-03-10T00:00:00-04:00', interval: 'day', timeZone: 'America/New_York' },
      ['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ],
    [
      'a repeated local hour (America/New_York, fall back) is two hour buckets',
      { createdFrom: '2026-11-01T00:00:00-04:00', createdTo: '2026-11-01T04:00:00-05:00', interval: 'hour', timeZone: 'America/New_York' },
      ['2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z'],
    ],
    [
      'hours start on the local hour in a half-hour zone (Asia/Kolkata)',
      { createdFrom: '2026-05-01T10:45:00Z', createdTo: '2026-05-01T13:00:00Z', interval: 'hour', timeZone: 'Asia/Kolkata' },
      ['2026-05-01T10:45:00.000Z', '2026-05-01T11:30:00.000Z', '2026-05-01T12:30:00.000Z'],
    ],
    [
      'a skipped midnight (America/Santiago) starts the day at its first instant',
      { createdFrom: '2026-09-05T00:00:00-04:00', createdTo: '2026-09-07T00:00:00-03:00', interval: 'day', timeZone: 'America/Santiago' },
      ['2026-09-05T04:00:00.000Z', '2026-09-06T04:00:00.000Z'],
    ],
    [
      'a day the zone skipped (Pacific/Apia, 2011-12-30) is no bucket',
      { createdFrom: '2011-12-29T00:00:00-10:00', createdTo: '2012-01-01T00:00:00+14:00', interval: 'day', timeZone: 'Pacific/Apia' },
      ['2011-12-29T10:00:00.000Z', '2011-12-30T10:00:00.000Z'],
    ],
  ])('%s', async (_name, query, starts) => {
    const body = await stats({ ...query, chatConfiguration: `stats-nothing-${run}` });
    expect(body.buckets).toEqual(starts.map((start) => ({ start, sends: ZERO_SENDS })));
  });

  describe('access', () => {
    it('a sender counts the sends through its configurations only; admins and auditors count everything', async () => {
      const asSender = await stats({ ...oneDay, interval: 'day' }, keys.sender);
      expect(asSender.sends).toEqual({ total: 4, completed: 1, cancelled: 1, delivering: 1, accepted: 1 });
      expect(asSender.recipients.total).toBe(11);
      expect(await stats({ ...oneDay, interval: 'day', chatConfiguration: cfgA }, keys.sender)).toEqual(asSender);
      expect((await stats({ ...oneDay, interval: 'day' }, keys.auditor)).sends.total).toBe(6);
      expect((await stats({ ...oneDay, interval: 'day' })).sends.total).toBe(6);
      const nothing = await stats({ ...oneDay, interval: 'day' }, keys.otherSender);
      expect(nothing).toMatchObject({ sends: ZERO_SENDS, recipients: ZERO_RECIPIENTS, ambiguousCalls: 0 });
    });

    it('a chatConfiguration outside the sender’s scope is a 403 naming the field; no key is a 401', async () => {
      const res = await apiRequest(api, keys.sender).get('/v1/stats/sends').query({ ...oneDay, interval: 'day', chatConfiguration: cfgB });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        status: 403,
        code: 'FORBIDDEN',
        message: `This key may not read chat configuration "${cfgB}"`,
        details: [{ field: 'chatConfiguration', message: expect.any(String) }],
        requestId: res.headers['x-request-id'],
      });
      await apiRequest(api, keys.otherSender).get('/v1/stats/sends').query({ ...oneDay, interval: 'day', chatConfiguration: cfgA }).expect(403);
      const anonymous = await apiRequest(api, null).get('/v1/stats/sends').query({ ...oneDay, interval: 'day' });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('bad input is a 400 naming the field, never a 500', () => {
    // Fixed instants: the table is built before any test runs, and no data is needed for a refusal.
    const fixed = (ms: number) => new Date(Date.UTC(2026, 4, 1) + ms).toISOString();
    const range = { createdFrom: fixed(0), createdTo: fixed(24 * HOUR) };
    const valid = { ...range, interval: 'hour' };
    it.each([
      [{ createdTo: range.createdTo, interval: 'hour' }, 'createdFrom'],
      [{ createdFrom: range.createdFrom, interval: 'hour' }, 'createdTo'],
      [{ ...range }, 'interval'],
      [{ ...valid, interval: 'week' }, 'interval'],
      [{ ...valid, createdFrom: '2026-11-01' }, 'createdFrom'],
      [{ ...valid, createdTo: '2026-11-01T00:00:00' }, 'createdTo'],
      [{ ...valid, createdFrom: range.createdTo, createdTo: range.createdFrom }, 'createdFrom'],
      [{ ...valid, createdTo: range.createdFrom }, 'createdFrom'],
      [{ ...valid, timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ ...valid, timeZone: '+08:00' }, 'timeZone'],
      [{ ...valid, timeZone: 'UTC+8' }, 'timeZone'],
      // Postgres would read it as a fixed +01:00, not as Central European time with its summer hour.
      [{ ...valid, timeZone: 'CET' }, 'timeZone'],
      [{ ...valid, timeZone: '' }, 'timeZone'],
      [{ ...valid, timeZone: ['UTC', 'Asia/Shanghai'] }, 'timeZone'],
      [{ ...valid, chatConfiguration: '' }, 'chatConfiguration'],
      [{ ...valid, status: 'completed' }, 'status'],
      // 169 hour buckets: a week and one hour, or a week from and to half past (a part of an hour at either end).
      [{ createdFrom: fixed(0), createdTo: fixed(169 * HOUR), interval: 'hour' }, 'createdTo'],
      [{ createdFrom: fixed(HOUR / 2), createdTo: fixed(168 * HOUR + HOUR / 2), interval: 'hour' }, 'createdTo'],
      // 367 local days: 366 × 24 hours from UTC midnight cut in Berlin starts and ends mid-day.
      [{ createdFrom: fixed(0), createdTo: fixed(366 * 24 * HOUR), interval: 'day', timeZone: 'Europe/Berlin' }, 'createdTo'],
      [{ createdFrom: fixed(0), createdTo: fixed(367 * 24 * HOUR), interval: 'day' }, 'createdTo'],
      [{ createdFrom: '1971-01-01T00:00:00Z', createdTo: '9999-01-01T00:00:00Z', interval: 'day' }, 'createdTo'],
    ] as [Query, string][])('%o → 400 on %s', async (query, field) => {
      const res = await apiRequest(api).get('/v1/stats/sends').query(query);
      expect({ status: res.status, fields: (res.body.details ?? []).map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: [field] });
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', requestId: res.headers['x-request-id'] });
    });

    it('at the limits: 168 hour buckets and 366 day buckets are answered', async () => {
      expect((await stats({ createdFrom: fixed(0), createdTo: fixed(168 * HOUR), interval: 'hour' })).buckets).toHaveLength(168);
      expect((await stats({ createdFrom: fixed(HOUR / 2), createdTo: fixed(167 * HOUR + HOUR / 2), interval: 'hour' })).buckets).toHaveLength(168);
      expect((await stats({ createdFrom: fixed(0), createdTo: fixed(366 * 24 * HOUR), interval: 'day' })).buckets).toHaveLength(366);
    });
  });

  it('DingrelayClient.getSendStats and getCurrentApiKey speak this API', async () => {
    const server = await api.listen(0, '127.0.0.1');
    const client = new DingrelayClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: keys.sender });
    expect(await client.getCurrentApiKey()).toMatchObject({ role: 'sender', chatConfigurations: [cfgA] });
    // Kolkata's hours start at half past UTC ones: 00:00, 00:30, 01:30, …, 23:30.
    const body = await client.getSendStats({ ...oneDay, interval: 'hour', timeZone: 'Asia/Kolkata' });
    expect(body.buckets).toHaveLength(25);
    expect(body.buckets.slice(0, 3).map((b) => b.start)).toEqual([iso(0), iso(HOUR / 2), iso(HOUR + HOUR / 2)]);
    expect(body.sends.total).toBe(4);
    const refused = await client.getSendStats({ ...oneDay, interval: 'day', chatConfiguration: cfgB }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DingrelayApiError);
    expect(refused).toMatchObject({ status: 403, details: [{ field: 'chatConfiguration' }] });
  });
});
