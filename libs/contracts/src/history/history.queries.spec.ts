import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { toApiErrorDetails } from '../errors/to-api-error-details.js';
import { pageRequest } from '../pagination/page.query.js';
import { isIsoDateTimeWithOffset } from './history-time.constraint.js';
import { CreateExportLinkRequest } from './export-link.request.js';
import { ExportRecipientsQuery, ExportSendsQuery, ListSendsQuery, ListUserRecipientsQuery } from './history.queries.js';

// As the API's ValidationPipe does it: plainToInstance, then validate with unknown fields refused.
async function parse<T extends object>(cls: new () => T, query: Record<string, unknown>): Promise<[T, string[]]> {
  const instance = plainToInstance(cls, query);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  // One field per problem field (a missing value fails several of its constraints at once).
  return [instance, [...new Set(toApiErrorDetails(errors).map((d: ApiErrorDetail) => d.field))]];
}

describe('history queries', () => {
  it('take the page in either spelling, camelCase first, 100 by default', async () => {
    expect(pageRequest((await parse(ListSendsQuery, {}))[0])).toEqual({ maxResults: 100 });
    expect(pageRequest((await parse(ListSendsQuery, { MaxResults: '7', NextToken: 't' }))[0])).toEqual({ maxResults: 7, nextToken: 't' });
    expect(pageRequest((await parse(ListSendsQuery, { maxResults: '3', MaxResults: '7' }))[0])).toEqual({ maxResults: 3 });
  });

  it.each([
    [{ maxResults: '0' }, 'maxResults'],
    [{ MaxResults: '1001' }, 'MaxResults'],
    [{ maxResults: 'ten' }, 'maxResults'],
    [{ NextToken: '' }, 'NextToken'],
    [{ status: 'finished' }, 'status'],
    [{ msgKey: 'sampleSomething' }, 'msgKey'],
    [{ createdFrom: '2026-11-01' }, 'createdFrom'],
    [{ createdTo: '2026-11-01T10:00:00' }, 'createdTo'],
    [{ chatConfiguration: '' }, 'chatConfiguration'],
    [{ sort: 'asc' }, 'sort'],
  ])('ListSendsQuery refuses %o naming %s', async (query, field) => {
    expect((await parse(ListSendsQuery, query))[1]).toEqual([field]);
  });

  it('GET /v1/recipients needs a userId; the recipient statuses apply there, not the send ones', async () => {
    expect((await parse(ListUserRecipientsQuery, {}))[1]).toEqual(['userId']);
    expect((await parse(ListUserRecipientsQuery, { userId: 'u1', status: 'failed' }))[1]).toEqual([]);
    expect((await parse(ListUserRecipientsQuery, { userId: 'u1', status: 'completed' }))[1]).toEqual(['status']);
  });

  it('exports take the filters and a format but no paging', async () => {
    expect((await parse(ExportSendsQuery, { status: 'cancelled', format: 'ndjson' }))[1]).toEqual([]);
    expect((await parse(ExportSendsQuery, { format: 'xml' }))[1]).toEqual(['format']);
    expect((await parse(ExportSendsQuery, { maxResults: '10' }))[1]).toEqual(['maxResults']);
  });

  it('bom is true or false as text, and CSV only', async () => {
    expect(await parse(ExportSendsQuery, { bom: 'true' })).toEqual([expect.objectContaining({ bom: true }), []]);
    expect(await parse(ExportRecipientsQuery, { bom: 'FALSE', format: 'ndjson' })).toEqual([expect.objectContaining({ bom: false }), []]);
    expect((await parse(ExportSendsQuery, { bom: 'true', format: 'csv' }))[1]).toEqual([]);
    expect((await parse(ExportSendsQuery, { bom: 'yes' }))[1]).toEqual(['bom']);
    expect((await parse(ExportSendsQuery, { bom: '1' }))[1]).toEqual(['bom']);
    expect((await parse(ExportRecipientsQuery, { bom: 'true', format: 'ndjson' }))[1]).toEqual(['bom']);
  });

  describe('CreateExportLinkRequest', () => {
    it("takes an export, its options and exactly that export's filters", async () => {
      const [sends, none] = await parse(CreateExportLinkRequest, { export: 'sends', bom: true, filters: { status: 'completed', requester: 'ops' } });
      expect(none).toEqual([]);
      expect(sends.filters).toEqual({ status: 'completed', requester: 'ops' });
      expect((await parse(CreateExportLinkRequest, { export: 'recipients', format: 'ndjson', filters: { userId: 'u1', status: 'failed' } }))[1]).toEqual([]);
      expect((await parse(CreateExportLinkRequest, { export: 'recipients', filters: {} }))[1]).toEqual([]);
    });

    it.each([
      [{ filters: {} }, 'export'],
      [{ export: 'audit', filters: {} }, 'export'],
      [{ export: 'sends' }, 'filters'],
      [{ export: 'sends', filters: null }, 'filters'],
      [{ export: 'sends', filters: ['status'] }, 'filters'],
      [{ export: 'sends', filters: 'status=completed' }, 'filters'],
      [{ export: 'sends', filters: { userId: 'u1' } }, 'filters.userId'],
      [{ export: 'recipients', filters: { requester: 'ops' } }, 'filters.requester'],
      [{ export: 'recipients', filters: { status: 'completed' } }, 'filters.status'],
      [{ export: 'sends', filters: { createdFrom: 'yesterday' } }, 'filters.createdFrom'],
      [{ export: 'sends', filters: { format: 'csv' } }, 'filters.format'],
      [{ export: 'sends', filters: { maxResults: 10 } }, 'filters.maxResults'],
      [{ export: 'sends', filters: { chatConfiguration: 7 } }, 'filters.chatConfiguration'],
      [{ export: 'sends', format: 'xml', filters: {} }, 'format'],
      [{ export: 'sends', bom: 'true', filters: {} }, 'bom'],
      [{ export: 'sends', format: 'ndjson', bom: true, filters: {} }, 'bom'],
      [{ export: 'sends', filters: {}, expiresIn: 600 }, 'expiresIn'],
    ])('refuses %o naming %s', async (body, field) => {
      expect((await parse(CreateExportLinkRequest, body))[1]).toEqual([field]);
    });
  });

  it.each([
    ['2026-11-01T00:00:00Z', true],
    ['2026-11-01T08:00:00+08:00', true],
    ['2026-11-01T08:00+08:00', true],
    ['2026-11-01T00:00:00.123456Z', true],
    ['2026-11-01T00:00:00', false],
    ['2026-11-01', false],
    ['2026-02-29T00:00:00Z', false],
    ['2028-02-29T00:00:00Z', true],
    ['2026-11-01T24:00:00Z', false],
    ['2026-11-01T00:00:00+25:00', false],
    ['yesterday', false],
  ])('%s is an ISO-8601 instant with an offset: %s', (text, ok) => {
    expect(isIsoDateTimeWithOffset(text)).toBe(ok);
  });
});
