import { DINGTALK_READ_WINDOW_MS, parsePollSchedule } from './read-tracking.settings.js';

describe('parsePollSchedule (READ_STATUS_POLL_SCHEDULE)', () => {
  it('reads the default and short test schedules as offsets in ms', () => {
    expect(parsePollSchedule('1m,10m,1h,6h,23h')).toEqual([60_000, 600_000, 3_600_000, 21_600_000, 82_800_000]);
    expect(parsePollSchedule(' 200ms, 400ms ,2s ')).toEqual([200, 400, 2_000]);
  });

  it('reads "off" and an empty value as no polls', () => {
    expect(parsePollSchedule('off')).toEqual([]);
    expect(parsePollSchedule('')).toEqual([]);
  });

  it.each([
    ['10m,1m', /ascending/],
    ['1m,1m', /ascending/],
    ['24h', /24 h/],
    [`${DINGTALK_READ_WINDOW_MS}ms`, /24 h/],
    ['0s', /> 0/],
    ['5 minutes', /not a duration/],
    ['1m,,2m', /not a duration/],
    ['-1m', /not a duration/],
  ])('refuses %s', (text, problem) => {
    expect(() => parsePollSchedule(text)).toThrow(problem);
  });
});
