import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { toApiErrorDetails } from '../errors/to-api-error-details.js';
import { SendStatsQuery } from './send-stats.query.js';
import { isIanaTimeZone } from './time-zone.js';

// As the API's ValidationPipe does it: plainToInstance, then validate with unknown fields refused.
async function problems(query: Record<string, unknown>): Promise<{ field: string; message: string }[]> {
  const errors = await validate(plainToInstance(SendStatsQuery, query), { whitelist: true, forbidNonWhitelisted: true });
  return toApiErrorDetails(errors);
}

const VALID = { createdFrom: '2026-11-01T00:00:00+08:00', createdTo: '2026-11-08T00:00:00+08:00', interval: 'day' };

describe('SendStatsQuery', () => {
  it('takes a range, an interval, and optionally a zone and a configuration', async () => {
    expect(await problems(VALID)).toEqual([]);
    expect(await problems({ ...VALID, interval: 'hour', timeZone: 'Asia/Shanghai', chatConfiguration: 'ops' })).toEqual([]);
  });

  it('says a missing bound is required, once', async () => {
    expect(await problems({ interval: 'hour' })).toEqual([
      { field: 'createdFrom', message: expect.stringMatching(/^createdFrom is required: an ISO-8601/) },
      { field: 'createdTo', message: expect.stringMatching(/^createdTo is required: an ISO-8601/) },
    ]);
  });

  it.each([
    [{ ...VALID, createdFrom: '2026-11-01' }, 'createdFrom'],
    [{ ...VALID, createdTo: 'tomorrow' }, 'createdTo'],
    [{ ...VALID, interval: undefined }, 'interval'],
    [{ ...VALID, interval: 'week' }, 'interval'],
    [{ ...VALID, timeZone: 'Asia/Atlantis' }, 'timeZone'],
    [{ ...VALID, timeZone: 'GMT+8' }, 'timeZone'],
    [{ ...VALID, chatConfiguration: '' }, 'chatConfiguration'],
    [{ ...VALID, maxResults: '10' }, 'maxResults'],
  ])('refuses %o naming %s', async (query, field) => {
    expect([...new Set((await problems(query)).map((d) => d.field))]).toEqual([field]);
  });

  it.each([
    ['UTC', true],
    ['utc', true],
    ['Asia/Shanghai', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Etc/GMT-8', true],
    ['US/Pacific', true],
    ['+08:00', false],
    ['UTC+8', false],
    ['CST', false],
    ['CET', false],
    ['EST5EDT', false],
    ['Asia/Atlantis', false],
    ['', false],
    ['../../etc/passwd', false],
    [8, false],
  ])('%p is an IANA time zone: %p', (value, ok) => {
    expect(isIanaTimeZone(value)).toBe(ok);
  });
});
