import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { HistoryPage, RecipientHistoryItem, SendHistoryItem } from '@dingrelay/contracts';
import { DEFAULT_EXPORT_SETTINGS, type ExportQuery, exportPlannerSettings, exportRecipientsQuery, exportSendsQuery } from '@dingrelay/domain';
import { deleteQueuePrefix, openTestDataSource, uniqueQueuePrefix, waitFor } from '@dingrelay/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { freeDay, insertHistorySend, parseCsv } from './support/history-fixtures.js';
import { apiRequest, createTestApiKey, ensureTestChatConfiguration, startTestApi } from './support/test-api.js';

type Query = Record<string, string | number>;

/** Reads a download as text whatever its content type, exactly as sent. */
function asText(res: request.Response, done: (error: Error | null, body: string) => void): void {
  const stream = res as unknown as http.IncomingMessage;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => done(null, text));
}

describe('history: GET /v1/sends, GET /v1/recipients and their exports', () => {
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('history');
  const run = randomUUID().slice(0, 8);
  const name = (what: string) => `${what}-${run}`;

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'history-robot' });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await api?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  async function page<T>(path: string, query: Query): Promise<HistoryPage<T>> {
    const res = await apiRequest(api).get(path).query(query);
    expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
    return res.body as HistoryPage<T>;
  }

  /** Every page of a listing, following nextToken. */
  async function allPages<T>(path: string, query: Query): Promise<T[]> {
    const items: T[] = [];
    let token: string | null = null;
    do {
      const body: HistoryPage<T> = await page<T>(path, { ...query, ...(token ? { nextToken: token } : {}) });
      items.push(...body.items);
      token = body.nextToken;
    } while (token);
    return items;
  }

  const sendIds = async (query: Query) => (await allPages<SendHistoryItem>('/v1/sends', query)).map((s) => s.id);

  describe('GET /v1/sends filters', () => {
    const cfg = name('cfg-a');
    const other = name('cfg-b');
    const ids: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };

    beforeAll(async () => {
      ids.a = await insertHistorySend(db, {
        chatConfiguration: cfg,
        robotCode: name('robot-1'),
        createdAt: '2025-03-01T10:00:00.000001Z',
        state: 'completed',
        requestedBy: name('alice'),
        idempotencyKey: name('key-a'),
      });
      ids.b = await insertHistorySend(db, {
        chatConfiguration: cfg,
        robotCode: name('robot-2'),
        msgKey: 'sampleMarkdown',
        createdAt: '2025-03-02T10:00:00Z',
        state: 'cancelled',
        requestedBy: name('bob'),
      });
      ids.c = await insertHistorySend(db, { chatConfiguration: cfg, robotCode: name('robot-1'), createdAt: '2025-03-03T10:00:00Z', state: 'accepted' });
      ids.d = await insertHistorySend(db, { chatConfiguration: cfg, robotCode: name('robot-1'), createdAt: '2025-03-04T10:00:00Z', state: 'delivering' });
      ids.e = await insertHistorySend(db, { chatConfiguration: other, robotCode: name('robot-1'), createdAt: '2025-03-02T12:00:00Z' });
    });

    it('by chatConfiguration, newest first, with each send as recorded', async () => {
      expect(await sendIds({ chatConfiguration: cfg })).toEqual([ids.d, ids.c, ids.b, ids.a]);
      expect(await sendIds({ chatConfiguration: other })).toEqual([ids.e]);
      const [first] = (await page<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg, idempotencyKey: name('key-a') })).items;
      expect(first).toEqual({
        id: ids.a,
        createdAt: '2025-03-01T10:00:00.000Z',
        chatConfiguration: cfg,
        robotCode: name('robot-1'),
        msgKey: 'sampleText',
        status: 'completed',
        recipientCount: 1,
        batchCount: 1,
        idempotencyKey: name('key-a'),
        requestedBy: name('alice'),
        completedAt: '2025-03-01T10:00:00.000Z',
        cancelledAt: null,
        // No configuration row has the name (a fixture): none recorded, none deleted.
        chatConfigurationId: null,
        chatConfigurationDeleted: false,
      });
    });

    it('by robotCode, msgKey, requester and idempotencyKey', async () => {
      expect(await sendIds({ robotCode: name('robot-2') })).toEqual([ids.b]);
      expect(await sendIds({ robotCode: name('robot-1') })).toEqual([ids.d, ids.c, ids.e, ids.a]);
      expect(await sendIds({ chatConfiguration: cfg, msgKey: 'sampleMarkdown' })).toEqual([ids.b]);
      expect(await sendIds({ chatConfiguration: cfg, msgKey: 'sampleText' })).toEqual([ids.d, ids.c, ids.a]);
      expect(await sendIds({ requester: name('bob') })).toEqual([ids.b]);
      expect(await sendIds({ idempotencyKey: name('key-a') })).toEqual([ids.a]);
      expect(await sendIds({ idempotencyKey: name('no-such-key') })).toEqual([]);
    });

    it.each([
      ['completed', 'a'],
      ['cancelled', 'b'],
      ['accepted', 'c'],
      ['delivering', 'd'],
    ] as const)('by status %s', async (status, key) => {
      expect(await sendIds({ chatConfiguration: cfg, status })).toEqual([ids[key]]);
    });

    it('by created time: createdFrom inclusive, createdTo exclusive, at microsecond precision and any offset', async () => {
      expect(await sendIds({ chatConfiguration: cfg, createdFrom: '2025-03-02T10:00:00Z', createdTo: '2025-03-04T10:00:00Z' })).toEqual([ids.c, ids.b]);
      // The same instants written in UTC+08:00.
      expect(await sendIds({ chatConfiguration: cfg, createdFrom: '2025-03-02T18:00:00+08:00', createdTo: '2025-03-04T18:00:00+08:00' })).toEqual([ids.c, ids.b]);
      expect(await sendIds({ chatConfiguration: cfg, createdFrom: '2025-03-01T10:00:00.000001Z' })).toEqual([ids.d, ids.c, ids.b, ids.a]);
      expect(await sendIds({ chatConfiguration: cfg, createdFrom: '2025-03-01T10:00:00.000002Z', createdTo: '2025-03-02T10:00:00Z' })).toEqual([]);
    });

    it('keeps GET /v1/sends/:id working beside the collection', async () => {
      const res = await apiRequest(api).get(`/v1/sends/${ids.b}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: ids.b, status: 'cancelled', msgKey: 'sampleMarkdown' });
    });
  });

  it('documents every filter in /docs', async () => {
    const doc = (await apiRequest(api).get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
    };
    const names = (path: string) => doc.paths[path]!.get.parameters.map((p) => p.name).sort();
    expect(names('/v1/sends')).toEqual(
      ['chatConfiguration', 'createdFrom', 'createdTo', 'idempotencyKey', 'maxResults', 'msgKey', 'nextToken', 'requester', 'robotCode', 'status'],
    );
    expect(names('/v1/recipients')).toContain('userId');
    expect(names('/v1/exports/recipients')).toEqual(expect.arrayContaining(['format', 'bom']));
    expect(names('/v1/exports/sends')).toEqual(expect.arrayContaining(['format', 'bom']));
  });

  describe('paging', () => {
    it('never skips or repeats a send while new ones arrive between pages, ties at one instant included', async () => {
      const cfg = name('cfg-paging');
      const before: string[] = [];
      for (let i = 0; i < 12; i++) {
        // Pairs share one created_at: only the id orders them.
        const createdAt = new Date(Date.UTC(2025, 4, 1, 0, Math.floor(i / 2))).toISOString();
        before.push(await insertHistorySend(db, { chatConfiguration: cfg, createdAt }));
      }
      const first = await page<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg, maxResults: 5 });
      expect(first.items).toHaveLength(5);
      const seen = first.items.map((s) => s.id);
      let token = first.nextToken;
      let arrived = 0;
      while (token) {
        // Newer sends keep arriving between pages (created now, so newer than everything already paged).
        await insertHistorySend(db, { chatConfiguration: cfg });
        arrived++;
        // The cloud spelling works as well.
        const next = await page<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg, MaxResults: 5, NextToken: token });
        seen.push(...next.items.map((s) => s.id));
        token = next.nextToken;
      }
      const expected = await db.query(
        `SELECT id::text FROM sends WHERE id = ANY($1) ORDER BY created_at DESC, id DESC`,
        [before],
      );
      expect(seen).toEqual(expected.map((r: { id: string }) => r.id));
      expect(new Set(seen).size).toBe(12);
      expect(await sendIds({ chatConfiguration: cfg })).toHaveLength(12 + arrived);
      expect(arrived).toBe(2);
    });

    it('defaults to 100 per page and allows up to 1000', async () => {
      const cfg = name('cfg-size');
      await db.query(
        `INSERT INTO sends (id, chat_configuration, robot_code, msg_key, msg_param, delivery_policy, recipient_count,
                            duplicates_removed, batch_count, completed_at, created_at)
         SELECT gen_random_uuid(), $1, 'r', 'sampleText', '{}', 'at-least-once', 0, 0, 0, now(), now() - g * interval '1 second'
           FROM generate_series(1, 101) g`,
        [cfg],
      );
      const first = await page<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg });
      expect(first.items).toHaveLength(100);
      expect(first.nextToken).toEqual(expect.any(String));
      const all = await page<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg, maxResults: 1000 });
      expect({ n: all.items.length, next: all.nextToken }).toEqual({ n: 101, next: null });
    });
  });

  describe('GET /v1/recipients', () => {
    const user = name('user-x');
    const cfg = name('cfg-r');
    let sends: string[] = [];

    beforeAll(async () => {
      sends = [
        await insertHistorySend(db, {
          chatConfiguration: cfg,
          createdAt: '2025-06-01T00:00:00Z',
          recipients: [{ userId: user }, { userId: name('user-y') }],
        }),
        await insertHistorySend(db, {
          chatConfiguration: name('cfg-r2'),
          robotCode: name('robot-r2'),
          msgKey: 'sampleMarkdown',
          createdAt: '2025-06-02T00:00:00Z',
          recipients: [{ userId: user, status: 'failed', reasonCode: '400', reasonMessage: 'staff left' }],
        }),
        await insertHistorySend(db, {
          chatConfiguration: cfg,
          createdAt: '2025-06-03T00:00:00Z',
          state: 'accepted',
          recipients: [{ userId: user }],
        }),
      ];
    });

    it("lists everything one user was sent across sends, newest first, with outcome, read and recall state", async () => {
      const items = await allPages<RecipientHistoryItem>('/v1/recipients', { userId: user, maxResults: 1 });
      expect(items.map((i) => i.sendId)).toEqual([sends[2], sends[1], sends[0]]);
      expect(items[1]).toEqual({
        sendId: sends[1],
        userId: user,
        createdAt: '2025-06-02T00:00:00.000Z',
        chatConfiguration: name('cfg-r2'),
        robotCode: name('robot-r2'),
        msgKey: 'sampleMarkdown',
        status: 'failed',
        reasonCode: '400',
        reasonMessage: 'staff left',
        deliveredAt: null,
        readStatus: null,
        readAt: null,
        recallStatus: null,
        recallReason: null,
        recalledAt: null,
      });
      expect(items.every((i) => i.userId === user)).toBe(true);
    });

    it('filters by status, chatConfiguration, robotCode, msgKey and time range', async () => {
      const ids = async (q: Query) => (await allPages<RecipientHistoryItem>('/v1/recipients', { userId: user, ...q })).map((i) => i.sendId);
      expect(await ids({ status: 'failed' })).toEqual([sends[1]]);
      expect(await ids({ status: 'pending' })).toEqual([sends[2]]);
      expect(await ids({ status: 'invalid' })).toEqual([]);
      expect(await ids({ chatConfiguration: cfg })).toEqual([sends[2], sends[0]]);
      expect(await ids({ robotCode: name('robot-r2') })).toEqual([sends[1]]);
      expect(await ids({ msgKey: 'sampleText' })).toEqual([sends[2], sends[0]]);
      expect(await ids({ createdFrom: '2025-06-01T12:00:00Z', createdTo: '2025-06-03T00:00:00Z' })).toEqual([sends[1]]);
      expect(await ids({ userId: name('nobody') })).toEqual([]);
    });
  });

  describe('sender keys see the history of their own configurations only', () => {
    const mine = name('scope-mine');
    const alsoMine = name('scope-also');
    const theirs = name('scope-theirs');
    const user = name('scope-user');
    // A day of this run's own: nothing else in the shared database falls inside it.
    const window = { createdFrom: '', createdTo: '' };
    let day: number;
    const at = (hour: number) => new Date(day + hour * 3_600_000).toISOString();
    let sender: string;
    let otherSender: string;
    let auditor: string;
    const ids: { mine: string[]; alsoMine: string[]; theirs: string[] } = { mine: [], alsoMine: [], theirs: [] };

    beforeAll(async () => {
      day = await freeDay(db, 2001, 7000);
      Object.assign(window, { createdFrom: at(0), createdTo: at(24) });
      for (const cfg of [mine, alsoMine, name('scope-empty')]) await ensureTestChatConfiguration(api, cfg);
      sender = (await createTestApiKey(api, { role: 'sender', name: name('scoped'), chatConfigurations: [mine, alsoMine] })).key;
      otherSender = (await createTestApiKey(api, { role: 'sender', name: name('scoped-other'), chatConfigurations: [name('scope-empty')] })).key;
      auditor = (await createTestApiKey(api, { role: 'auditor', name: name('scope-auditor') })).key;
      // Interleaved in time, so the sender's pages skip the other configuration's sends between its own.
      for (let hour = 1; hour <= 9; hour++) {
        const cfg = [mine, theirs, alsoMine][hour % 3]!;
        const id = await insertHistorySend(db, { chatConfiguration: cfg, createdAt: at(hour), recipients: [{ userId: user }, { userId: `${user}-${hour}` }] });
        ids[cfg === mine ? 'mine' : cfg === alsoMine ? 'alsoMine' : 'theirs'].push(id);
      }
    });

    async function pagesAs<T>(key: string, path: string, query: Query): Promise<T[]> {
      const items: T[] = [];
      let token: string | null = null;
      do {
        const res: request.Response = await apiRequest(api, key).get(path).query({ ...query, ...(token ? { nextToken: token } : {}) });
        expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
        items.push(...(res.body as HistoryPage<T>).items);
        token = (res.body as HistoryPage<T>).nextToken;
      } while (token);
      return items;
    }

    it('GET /v1/sends: a sender lists the sends through its configurations, paged one by one without gaps or repeats', async () => {
      const own = [...ids.mine, ...ids.alsoMine];
      const listed = await pagesAs<SendHistoryItem>(sender, '/v1/sends', { ...window, maxResults: 1 });
      expect(listed.map((s) => s.id)).toEqual(await newestFirst(own));
      expect(new Set(listed.map((s) => s.chatConfiguration))).toEqual(new Set([mine, alsoMine]));
      // Its filter narrows within the scope.
      expect((await pagesAs<SendHistoryItem>(sender, '/v1/sends', { ...window, chatConfiguration: alsoMine })).map((s) => s.id)).toEqual(
        await newestFirst(ids.alsoMine),
      );
      // Admins and auditors see everything in the window, as before.
      const all = await newestFirst([...own, ...ids.theirs]);
      expect((await pagesAs<SendHistoryItem>(auditor, '/v1/sends', { ...window, maxResults: 2 })).map((s) => s.id)).toEqual(all);
      expect((await allPages<SendHistoryItem>('/v1/sends', window)).map((s) => s.id)).toEqual(all);
      // A sender whose configurations sent nothing sees nothing.
      expect(await pagesAs(otherSender, '/v1/sends', window)).toEqual([]);
    });

    it('GET /v1/recipients: a sender sees what the user was sent through its configurations only', async () => {
      const rows = await pagesAs<RecipientHistoryItem>(sender, '/v1/recipients', { userId: user, maxResults: 2 });
      expect(rows.map((r) => r.sendId)).toEqual(await newestFirst([...ids.mine, ...ids.alsoMine]));
      const everything = await allPages<RecipientHistoryItem>('/v1/recipients', { userId: user });
      expect(everything.map((r) => r.sendId)).toEqual(await newestFirst([...ids.mine, ...ids.alsoMine, ...ids.theirs]));
      expect(await pagesAs(otherSender, '/v1/recipients', { userId: user })).toEqual([]);
    });

    it.each(['/v1/sends', '/v1/recipients'])('%s: a chatConfiguration filter outside the scope is a 403 naming the field', async (path) => {
      const forUser = path === '/v1/recipients' ? { userId: user } : {};
      const res = await apiRequest(api, sender).get(path).query({ ...forUser, chatConfiguration: theirs });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        status: 403,
        code: 'FORBIDDEN',
        message: `This key may not read chat configuration "${theirs}"`,
        details: [{ field: 'chatConfiguration', message: expect.stringContaining(mine) }],
        requestId: res.headers['x-request-id'],
      });
      // Bad input is still a 400 first for what the guard can't judge (a repeated filter is not one name).
      const repeated = await apiRequest(api, sender).get(path).query({ ...forUser, chatConfiguration: [mine, theirs] });
      expect(repeated.status).toBe(400);
      expect(repeated.body.details.map((d: { field: string }) => d.field)).toContain('chatConfiguration');
    });

    it("a page token is bound to the sender's scope: another key's token is refused, not replayed", async () => {
      const first = await apiRequest(api, sender).get('/v1/sends').query({ ...window, maxResults: 1 }).expect(200);
      expect(first.body.nextToken).toEqual(expect.any(String));
      const asAdmin = await apiRequest(api).get('/v1/sends').query({ ...window, nextToken: first.body.nextToken });
      expect(asAdmin.status).toBe(400);
      expect(asAdmin.body.details).toEqual([{ field: 'nextToken', message: expect.any(String) }]);
      const asOther = await apiRequest(api, otherSender).get('/v1/sends').query({ ...window, nextToken: first.body.nextToken });
      expect(asOther.status).toBe(400);
      // An admin's token is no sender's either.
      const adminFirst = await apiRequest(api).get('/v1/sends').query({ ...window, maxResults: 1 }).expect(200);
      await apiRequest(api, sender).get('/v1/sends').query({ ...window, nextToken: adminFirst.body.nextToken }).expect(400);
    });

    it('exports stay closed to senders', async () => {
      await apiRequest(api, sender).get('/v1/exports/sends').query({ chatConfiguration: mine }).expect(403);
      await apiRequest(api, sender).get('/v1/exports/recipients').query({ userId: user }).expect(403);
    });

    /** The ids in the history's order: created_at, then id, newest first. */
    async function newestFirst(sendIds: string[]): Promise<string[]> {
      const rows: { id: string }[] = await db.query(`SELECT id FROM sends WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC, id DESC`, [sendIds]);
      return rows.map((r) => r.id);
    }
  });

  describe('bad filters are 400s naming the field', () => {
    it.each([
      ['/v1/sends', { createdFrom: 'yesterday' }, 'createdFrom'],
      ['/v1/sends', { createdFrom: '2025-03-01T10:00:00' }, 'createdFrom'],
      ['/v1/sends', { createdTo: '2025-02-30T00:00:00Z' }, 'createdTo'],
      ['/v1/sends', { createdFrom: '2025-03-02T00:00:00Z', createdTo: '2025-03-01T00:00:00Z' }, 'createdFrom'],
      ['/v1/sends', { status: 'done' }, 'status'],
      ['/v1/sends', { msgKey: 'sampleNothing' }, 'msgKey'],
      ['/v1/sends', { maxResults: 0 }, 'maxResults'],
      ['/v1/sends', { MaxResults: 1001 }, 'MaxResults'],
      ['/v1/sends', { nextToken: 'not-a-token' }, 'nextToken'],
      ['/v1/sends', { colour: 'red' }, 'colour'],
      ['/v1/recipients', {}, 'userId'],
      ['/v1/recipients', { userId: 'u', status: 'completed' }, 'status'],
      ['/v1/recipients', { userId: 'u', createdTo: 'tomorrow' }, 'createdTo'],
      ['/v1/exports/sends', { format: 'xlsx' }, 'format'],
      ['/v1/exports/sends', { createdFrom: '2025-03-02T00:00:00Z', createdTo: '2025-03-01T00:00:00Z' }, 'createdFrom'],
      ['/v1/exports/recipients', { status: 'nope' }, 'status'],
      ['/v1/exports/sends', { maxResults: 10 }, 'maxResults'],
    ] as const)('%s %o → 400 on %s', async (path, query, field) => {
      const res = await apiRequest(api).get(path).query(query);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('a token from other filters is refused, not replayed', async () => {
      const cfg = name('cfg-token');
      for (let i = 0; i < 3; i++) await insertHistorySend(db, { chatConfiguration: cfg });
      const first = await page<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg, maxResults: 1 });
      const res = await apiRequest(api).get('/v1/sends').query({ chatConfiguration: name('cfg-other'), nextToken: first.nextToken! });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'nextToken', message: expect.stringContaining('different query') }]);
    });
  });

  describe('exports', () => {
    const cfg = name('cfg-export');
    const user = name('user-export');
    const nasty = ['=HYPERLINK("http://x","y")', '+1+2', '-3+4', '@SUM(A1)', '\tTAB', '\rCR', 'a,b', 'say "hi"', 'two\r\nlines'];

    beforeAll(async () => {
      for (let i = 0; i < nasty.length; i++) {
        await insertHistorySend(db, {
          chatConfiguration: cfg,
          createdAt: new Date(Date.UTC(2025, 7, 1, i)).toISOString(),
          state: i % 3 === 0 ? 'cancelled' : 'completed',
          idempotencyKey: i === 2 ? `=cmd|'/C calc'!A0-${run}` : null,
          recipients: [
            { userId: user, status: 'failed', reasonCode: 'x', reasonMessage: nasty[i] ?? null },
            { userId: `${name('other')}-${i}` },
          ],
        });
      }
    });

    function asCsvCells(item: object, fields: string[]): string[] {
      return fields.map((f) => {
        const v = (item as Record<string, unknown>)[f];
        if (v === null || v === undefined) return '';
        const text = String(v);
        return typeof v === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      });
    }

    it('sends as CSV: attachment, header row, the same rows as the pages, formulas neutralised', async () => {
      const res = await apiRequest(api).get('/v1/exports/sends').query({ chatConfiguration: cfg }).buffer(true).parse(asText);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="sends-\d{8}T\d{6}Z\.csv"$/);
      const [header, ...rows] = parseCsv(res.body as string);
      const items = await allPages<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg, maxResults: 3 });
      expect(items).toHaveLength(nasty.length);
      expect(header).toEqual(Object.keys(items[0]!));
      expect(rows).toEqual(items.map((i) => asCsvCells(i, header!)));
      expect(rows.map((r) => r[header!.indexOf('idempotencyKey')])).toContain(`'=cmd|'/C calc'!A0-${run}`);
    });

    it("one user's recipients as CSV: quoting and formula neutralisation survive a round trip", async () => {
      const res = await apiRequest(api).get('/v1/exports/recipients').query({ userId: user, format: 'csv' }).buffer(true).parse(asText);
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv(res.body as string);
      const items = await allPages<RecipientHistoryItem>('/v1/recipients', { userId: user, maxResults: 2 });
      expect(rows).toEqual(items.map((i) => asCsvCells(i, header!)));
      const reasons = rows.map((r) => r[header!.indexOf('reasonMessage')]).sort();
      expect(reasons).toEqual(
        ["'=HYPERLINK(\"http://x\",\"y\")", "'+1+2", "'-3+4", "'@SUM(A1)", "'\tTAB", "'\rCR", 'a,b', 'say "hi"', 'two\r\nlines'].sort(),
      );
    });

    /** The response's bytes exactly as sent. */
    function asBytes(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }
    const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

    it('bom=true starts a CSV with the UTF-8 byte order mark, for Excel; the rest of the file is unchanged', async () => {
      const chinese = name('cfg-中文');
      await insertHistorySend(db, {
        chatConfiguration: chinese,
        recipients: [{ userId: '张三', status: 'failed', reasonCode: '400002', reasonMessage: '员工已离职' }],
      });
      for (const path of ['/v1/exports/sends', '/v1/exports/recipients']) {
        const plain = await apiRequest(api).get(path).query({ chatConfiguration: chinese }).buffer(true).parse(asBytes);
        const marked = await apiRequest(api).get(path).query({ chatConfiguration: chinese, bom: 'true' }).buffer(true).parse(asBytes);
        const explicit = await apiRequest(api).get(path).query({ chatConfiguration: chinese, bom: 'false', format: 'csv' }).buffer(true).parse(asBytes);
        expect([plain.status, marked.status, explicit.status]).toEqual([200, 200, 200]);
        expect(marked.headers['content-type']).toBe('text/csv; charset=utf-8');
        const [plainBytes, markedBytes] = [plain.body as Buffer, marked.body as Buffer];
        expect(plainBytes.subarray(0, 3).equals(BOM)).toBe(false);
        expect((explicit.body as Buffer).subarray(0, 3).equals(BOM)).toBe(false);
        expect(markedBytes.subarray(0, 3)).toEqual(BOM);
        expect(markedBytes.subarray(3).equals(plainBytes)).toBe(true);
        expect(markedBytes.includes(Buffer.from(chinese, 'utf8'))).toBe(true);
      }
      const recipients = await apiRequest(api).get('/v1/exports/recipients').query({ chatConfiguration: chinese, bom: 'true' }).buffer(true).parse(asBytes);
      const [header, row] = parseCsv((recipients.body as Buffer).subarray(3).toString('utf8'));
      expect(header![0]).toBe('sendId');
      expect([row![header!.indexOf('userId')], row![header!.indexOf('reasonMessage')]]).toEqual(['张三', '员工已离职']);
    });

    it.each([
      [{ bom: 'true', format: 'ndjson' }, {}],
      [{ bom: 'true' }, { Accept: 'application/x-ndjson' }],
      [{ bom: 'yes' }, {}],
      [{ bom: '' }, {}],
    ])('bom %o with headers %o is a 400 naming bom', async (query, headers) => {
      for (const path of ['/v1/exports/sends', '/v1/exports/recipients']) {
        const res = await apiRequest(api).get(path).query({ chatConfiguration: cfg, ...query }).set(headers);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['bom']);
      }
    });

    it('bom=false goes with NDJSON', async () => {
      const res = await apiRequest(api).get('/v1/exports/sends').query({ chatConfiguration: cfg, bom: 'false', format: 'ndjson' }).buffer(true).parse(asBytes);
      expect(res.status).toBe(200);
      expect((res.body as Buffer).toString('utf8').startsWith('{')).toBe(true);
    });

    it('NDJSON (by format= or Accept) holds exactly the objects of the pages', async () => {
      for (const req of [
        apiRequest(api).get('/v1/exports/recipients').query({ chatConfiguration: cfg, format: 'ndjson' }),
        apiRequest(api).get('/v1/exports/recipients').query({ chatConfiguration: cfg }).set('Accept', 'application/x-ndjson'),
      ]) {
        const res = await req.buffer(true).parse(asText);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
        const lines = (res.body as string).split('\n');
        expect(lines.pop()).toBe('');
        const objects = lines.map((l) => JSON.parse(l) as RecipientHistoryItem);
        expect(objects).toHaveLength(2 * nasty.length);
        // Everyone's recipients of the configuration: send by send, newest first.
        const perUser = await allPages<RecipientHistoryItem>('/v1/recipients', { userId: user, chatConfiguration: cfg });
        expect(objects.filter((o) => o.userId === user)).toEqual(perUser);
        expect(objects.map((o) => o.sendId)).toEqual(perUser.flatMap((p) => [p.sendId, p.sendId]));
      }
      const sends = await apiRequest(api).get('/v1/exports/sends').query({ chatConfiguration: cfg, format: 'ndjson' }).buffer(true).parse(asText);
      const lines = (sends.body as string).trim().split('\n').map((l) => JSON.parse(l) as SendHistoryItem);
      expect(lines).toEqual(await allPages<SendHistoryItem>('/v1/sends', { chatConfiguration: cfg }));
    });
  });

  describe('export plans: rows flow from the first one, at any history size', () => {
    /**
     * The cursor's plan (with the settings the export's transaction makes), under planner settings that stand in for
     * what a huge history makes the planner believe.
     */
    async function planOf(query: ExportQuery, settings: string[] = []): Promise<string[]> {
      return db.transaction(async (tx) => {
        for (const setting of [...exportPlannerSettings(query), ...settings]) await tx.query(setting);
        const rows: { 'QUERY PLAN': string }[] = await tx.query(`EXPLAIN DECLARE probe NO SCROLL CURSOR FOR ${query.sql}`, query.params);
        return rows.map((r) => r['QUERY PLAN']);
      });
    }

    /**
     * Whether a node sorts the whole result: a full Sort on the export's order (down to r.user_id), where only an
     * Incremental Sort (each send's few rows) or a sort of the matching sends alone may be.
     */
    const sortsEverything = (plan: string[]) =>
      plan.some((line, i) => /Sort Key: s\.created_at DESC, s\.id DESC, r\.user_id/.test(line) && !/Incremental Sort/.test(plan[i - 1] ?? ''));

    const range = { createdFrom: '2025-03-01T00:00:00Z', createdTo: '2025-03-10T00:00:00Z' };

    it.each([
      ['everything', {}],
      ['one configuration', { chatConfiguration: name('cfg-a') }],
      ['a configuration the statistics have not seen', { chatConfiguration: name('cfg-new') }],
      ['one configuration, failed only', { chatConfiguration: name('cfg-a'), status: 'failed' as const }],
      ['a time range', range],
    ])("everyone's recipients, %s: a nested loop from the sends, never a sort of the whole match", async (_, filter) => {
      // On a 100M-row history the planner costs each send's index scan as hundreds of random reads, and a cursor
      // then prefers hashing and sorting the whole match (23 s before the first byte). Disabling nested loops makes
      // it prefer that here, on a small table; a few estimated rows make it sort them all at the end. The export's
      // query must leave it neither.
      for (const settings of [[], ['SET LOCAL enable_nestloop = off']]) {
        const plan = await planOf(exportRecipientsQuery(filter, 'csv'), settings);
        expect(plan.join('\n')).toMatch(/Nested Loop/);
        expect(plan.join('\n')).not.toMatch(/Hash Join|Merge Join/);
        expect(sortsEverything(plan)).toBe(false);
      }
    });

    it('a time range reaches the index of the sends, so an old range does not wait for every newer send to be read', async () => {
      // Small tables here: plain scans would be cheaper than any index. Without them, the range must be an index condition.
      const noScans = ['SET LOCAL enable_seqscan = off', 'SET LOCAL enable_bitmapscan = off', 'SET LOCAL enable_sort = off'];
      for (const query of [exportRecipientsQuery(range, 'csv'), exportSendsQuery(range, 'ndjson')]) {
        const plan = (await planOf(query, noScans)).join('\n');
        expect(plan).toMatch(/Index (Only )?Scan Backward using sends_created_at_idx on sends s\s*\(.*\)\n\s*Index Cond: \(\(created_at >= /);
      }
      const user = (await planOf(exportRecipientsQuery({ userId: 'u1', ...range }, 'csv'), noScans)).join('\n');
      expect(user).toMatch(/using recipients_user_created_idx on recipients r/);
    });
  });

  describe('streaming', () => {
    const cfg = name('cfg-big');
    let auditorKey = '';

    beforeAll(async () => {
      // A plain HTTP client (supertest cannot pause a response), authenticated as the role the history is for.
      auditorKey = (await createTestApiKey(api, { role: 'auditor' })).key;
      // Enough rows (~8 MB of CSV) that the export cannot finish into socket buffers while the client does not read.
      const sendId = await insertHistorySend(db, { chatConfiguration: cfg, recipients: [] });
      await db.query(
        `INSERT INTO recipients (send_id, user_id, batch_id, status, reason_message)
         SELECT $1, 'big-user-' || g, (SELECT id FROM batches WHERE send_id = $1), 'failed', repeat('x', 100)
           FROM generate_series(1, 40000) g`,
        [sendId],
      );
    });

    function openExport(app: INestApplication = api, key = auditorKey): Promise<http.IncomingMessage> {
      const server = app.getHttpServer() as http.Server;
      if (!server.listening) server.listen(0, '127.0.0.1');
      return new Promise((resolve, reject) => {
        const go = () => {
          const { port } = server.address() as AddressInfo;
          const req = http.get(
            { host: '127.0.0.1', port, path: `/v1/exports/recipients?chatConfiguration=${cfg}`, headers: { authorization: `Bearer ${key}` } },
            resolve,
          );
          req.on('error', reject);
        };
        if (server.listening) go();
        else server.once('listening', go);
      });
    }

    const exportBackends = async (): Promise<{ pid: number; state: string }[]> =>
      db.query(`SELECT pid, state FROM pg_stat_activity WHERE query LIKE 'FETCH % FROM history_export' AND datname = current_database()`);

    it('a client that goes away closes the cursor and frees its connection', async () => {
      const res = await openExport();
      expect(res.statusCode).toBe(200);
      res.pause();
      await waitFor(exportBackends, (rows) => rows.length === 1, { timeoutMs: 10_000, description: 'the export cursor' });
      res.destroy();
      await waitFor(exportBackends, (rows) => rows.length === 0, { timeoutMs: 10_000, description: 'the cursor closed' });
    });

    it(`at most ${DEFAULT_EXPORT_SETTINGS.maxConcurrentExports} exports run at once; another is a 429 until one ends`, async () => {
      const running = [];
      for (let i = 0; i < DEFAULT_EXPORT_SETTINGS.maxConcurrentExports; i++) {
        // One key each: a key holds at most EXPORTS_PER_KEY (1) of the places.
        const res = await openExport(api, (await createTestApiKey(api, { role: 'auditor' })).key);
        expect(res.statusCode).toBe(200);
        res.pause();
        running.push(res);
      }
      const refused = await apiRequest(api).get('/v1/exports/sends').query({ chatConfiguration: cfg });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(refused.headers['retry-after']).toBe('5');
      for (const res of running) res.destroy();
      // The slots come back as the cursors close, right after their connections are released.
      const again = await waitFor(
        async () => (await apiRequest(api).get('/v1/exports/sends').query({ chatConfiguration: cfg })).status,
        (status) => status === 200,
        { timeoutMs: 10_000, description: 'an export slot' },
      );
      expect(again).toBe(200);
    });

    it('one key holds at most EXPORTS_PER_KEY (1) places, an admin key too, while another key still gets one', async () => {
      const adminKey = (await createTestApiKey(api, { role: 'admin' })).key;
      const first = await openExport(api, adminKey);
      expect(first.statusCode).toBe(200);
      first.pause();
      try {
        const second = await request(api.getHttpServer()).get('/v1/exports/sends').query({ chatConfiguration: cfg }).set('Authorization', `Bearer ${adminKey}`);
        expect({ status: second.status, retryAfter: second.headers['retry-after'] }).toEqual({ status: 429, retryAfter: '5' });
        expect(second.body).toMatchObject({
          code: 'TOO_MANY_REQUESTS',
          message: 'This API key is already running 1 export on this server (at most 1 per key); try again when it has finished',
        });
        // The server's other place is there for everyone else.
        const other = await request(api.getHttpServer()).get('/v1/exports/sends').query({ chatConfiguration: cfg }).set('Authorization', `Bearer ${auditorKey}`);
        expect(other.status).toBe(200);
      } finally {
        first.destroy();
      }
    });

    it("a key's next export, right after its previous one ended, finds the key's place free", async () => {
      // What a client downloading files one after another does (the console does it): no 429 between them.
      for (let i = 0; i < 10; i++) {
        const res = await request(api.getHttpServer()).get('/v1/exports/sends').query({ chatConfiguration: cfg }).set('Authorization', `Bearer ${auditorKey}`);
        expect(res.status).toBe(200);
      }
    });

    describe('on a server with EXPORTS_AT_ONCE=1 and EXPORT_IDLE_TIMEOUT_MS=1500', () => {
      const idleTimeoutMs = 1_500;
      let small: INestApplication;
      let stalledKey = '';
      let otherKey = '';

      beforeAll(async () => {
        small = await startTestApi({
          queuePrefix: `${prefix}-idle`,
          robotCode: 'history-robot',
          env: { EXPORTS_AT_ONCE: '1', EXPORT_IDLE_TIMEOUT_MS: String(idleTimeoutMs) },
        });
        stalledKey = (await createTestApiKey(small, { role: 'auditor' })).key;
        otherKey = (await createTestApiKey(small, { role: 'auditor' })).key;
      });

      afterAll(async () => {
        await small?.close();
        await deleteQueuePrefix(`${prefix}-idle`);
      });

      const otherExport = async () =>
        (await request(small.getHttpServer()).get('/v1/exports/sends').query({ chatConfiguration: cfg }).set('Authorization', `Bearer ${otherKey}`)).status;

      const outcomeOf = (res: http.IncomingMessage) =>
        new Promise<'ended' | 'aborted'>((resolve) => {
          res.on('end', () => resolve('ended'));
          res.on('aborted', () => resolve('aborted'));
          res.on('error', () => resolve('aborted'));
        });

      it('a client that opens an export and never reads is cut off after the idle timeout, and its place is free again', async () => {
        const since = Date.now();
        const stalled = await openExport(small, stalledKey);
        expect(stalled.statusCode).toBe(200);
        stalled.pause();
        const outcome = outcomeOf(stalled);
        expect(await otherExport()).toBe(429);
        const status = await waitFor(otherExport, (s) => s === 200, { timeoutMs: 15_000, intervalMs: 100, description: 'the stalled export cut' });
        expect(status).toBe(200);
        expect(Date.now() - since).toBeGreaterThanOrEqual(idleTimeoutMs);
        // Its transfer was cut, not ended as if complete.
        stalled.resume();
        expect(await outcome).toBe('aborted');
      });

      it('a client that reads slowly but steadily is not cut: backpressure is not idleness', async () => {
        const started = Date.now();
        const slow = await openExport(small, stalledKey);
        expect(slow.statusCode).toBe(200);
        const outcome = outcomeOf(slow);
        let text = '';
        let budget = 0;
        slow.setEncoding('utf8');
        slow.on('data', (chunk: string) => {
          text += chunk;
          budget -= Buffer.byteLength(chunk);
          if (budget <= 0) slow.pause();
        });
        slow.pause();
        // About 2.5 MB/s for ~8 MB: the download lasts a few idle timeouts, paused most of the time.
        const reader = setInterval(() => {
          budget = 256 * 1024;
          slow.resume();
        }, 100);
        try {
          expect(await outcome).toBe('ended');
        } finally {
          clearInterval(reader);
        }
        expect(Date.now() - started).toBeGreaterThan(idleTimeoutMs);
        // The whole file: the header row and every one of the 40,000 rows.
        expect(text.trimEnd().split('\r\n')).toHaveLength(40_001);
      }, 60_000);

      it('a client that disconnects frees its place at once, long before the idle timeout', async () => {
        const leaving = await openExport(small, stalledKey);
        expect(leaving.statusCode).toBe(200);
        leaving.pause();
        await waitFor(exportBackends, (rows) => rows.length === 1, { timeoutMs: 10_000, description: 'the export cursor' });
        expect(await otherExport()).toBe(429);
        leaving.destroy();
        const since = Date.now();
        // Only the time the server takes to see the connection close: a few round trips, not the idle timeout.
        const status = await waitFor(otherExport, (s) => s === 200, { timeoutMs: 1_000, intervalMs: 20, description: 'the place given back' });
        expect(status).toBe(200);
        expect(Date.now() - since).toBeLessThan(idleTimeoutMs / 2);
      });
    });

    it('EXPORTS_AT_ONCE sets the cap per process (at least 1)', async () => {
      const single = await startTestApi({ queuePrefix: `${prefix}-single`, robotCode: 'history-robot', env: { EXPORTS_AT_ONCE: '1' } });
      try {
        const key = (await createTestApiKey(single, { role: 'auditor' })).key;
        const first = await openExport(single, key);
        expect(first.statusCode).toBe(200);
        first.pause();
        try {
          // Another key: the cap of the server, not of the key.
          const other = (await createTestApiKey(single, { role: 'auditor' })).key;
          const refused = await request(single.getHttpServer()).get('/v1/exports/sends').query({ chatConfiguration: cfg }).set('Authorization', `Bearer ${other}`);
          expect(refused.status).toBe(429);
          expect(refused.body.message).toBe('1 export is already running on this server; try again when one has finished');
        } finally {
          first.destroy();
        }
      } finally {
        await single.close();
      }
      await expect(startTestApi({ queuePrefix: `${prefix}-none`, robotCode: 'history-robot', env: { EXPORTS_AT_ONCE: '0' } })).rejects.toThrow(
        /EXPORTS_AT_ONCE/,
      );
    });

    it('a database failure mid-stream cuts the transfer instead of ending a file that looks complete', async () => {
      const res = await openExport();
      expect(res.statusCode).toBe(200);
      res.pause();
      const [backend] = await waitFor(exportBackends, (rows) => rows.length === 1, { timeoutMs: 10_000, description: 'the export cursor' });
      await db.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
      const outcome = await new Promise<string>((resolve) => {
        res.on('end', () => resolve('ended'));
        res.on('error', () => resolve('aborted'));
        res.on('aborted', () => resolve('aborted'));
        res.resume();
      });
      expect(outcome).toBe('aborted');
    });
  });
});
