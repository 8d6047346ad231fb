import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { toApiErrorDetails } from '../errors/to-api-error-details.js';
import { ListRecipientsQuery } from './list-recipients.query.js';

// Query strings arrive as strings; the API's ValidationPipe runs plainToInstance then validate with these.
async function parse(query: Record<string, unknown>): Promise<[ListRecipientsQuery, ApiErrorDetail[]]> {
  const instance = plainToInstance(ListRecipientsQuery, query);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  return [instance, toApiErrorDetails(errors)];
}
const fields = (details: ApiErrorDetail[]) => details.map((d) => d.field);

describe('ListRecipientsQuery', () => {
  it('defaults maxResults to 100', async () => {
    const [query, details] = await parse({});
    expect(details).toEqual([]);
    expect(query.maxResults).toBe(100);
    expect(query.status).toBeUndefined();
    expect(query.nextToken).toBeUndefined();
  });

  it('converts maxResults from its query-string text', async () => {
    for (const [text, value] of [['1', 1], ['50', 50], ['1000', 1000]] as const) {
      const [query, details] = await parse({ maxResults: text });
      expect(details).toEqual([]);
      expect(query.maxResults).toBe(value);
    }
  });

  it.each(['0', '1001', 'abc', '1.5', '', '-3'])('rejects maxResults=%j', async (text) => {
    const [, details] = await parse({ maxResults: text });
    expect(fields(details).length).toBeGreaterThan(0);
    expect(new Set(fields(details))).toEqual(new Set(['maxResults']));
  });

  it('accepts every recipient status and rejects others', async () => {
    for (const status of ['pending', 'delivered', 'invalid', 'failed', 'cancelled', 'unknown']) {
      expect((await parse({ status }))[1]).toEqual([]);
    }
    expect((await parse({ status: 'done' }))[1]).toEqual([
      {
        field: 'status',
        message: 'status must be one of: pending, delivered, invalid, failed, cancelled, unknown, got "done"',
      },
    ]);
    expect(fields((await parse({ status: ['pending', 'failed'] }))[1])).toEqual(['status']);
  });

  it('takes an opaque nextToken of up to 512 characters', async () => {
    expect((await parse({ nextToken: 'a+b/c='.padEnd(512, 'x') }))[1]).toEqual([]);
    expect(fields((await parse({ nextToken: 'x'.repeat(513) }))[1])).toEqual(['nextToken']);
    expect(fields((await parse({ nextToken: '' }))[1])).toEqual(['nextToken']);
  });

  it('rejects unknown query parameters', async () => {
    expect((await parse({ limit: '10' }))[1]).toEqual([{ field: 'limit', message: 'property limit should not exist' }]);
  });
});
