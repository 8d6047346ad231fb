import { UsageError } from './exit-codes.js';
import { timeBound, timeRange } from './time-range.js';

// Checked against Date's own reading of local time, so the tests hold in any time zone the machine has; the CLI's
// e2e suite runs the CLI in a fixed zone and checks what the API then returned.
describe('--from / --to', () => {
  it('passes a timestamp on as given (the API checks it and names the field)', () => {
    expect(timeBound('2026-11-01T09:30:00+08:00', 'from')).toBe('2026-11-01T09:30:00+08:00');
    expect(timeBound('yesterday', 'to')).toBe('yesterday');
  });

  it('reads a plain date as local midnight for --from, and the next local midnight for --to', () => {
    const from = timeBound('2026-11-01', 'from');
    const to = timeBound('2026-11-30', 'to');
    expect(from).toMatch(/^2026-11-01T00:00:00[+-]\d{2}:\d{2}$/);
    expect(to).toMatch(/^2026-12-01T00:00:00[+-]\d{2}:\d{2}$/);
    expect(Date.parse(from)).toBe(new Date(2026, 10, 1).getTime());
    expect(Date.parse(to)).toBe(new Date(2026, 11, 1).getTime());
    // The last day of a year rolls over into the next.
    expect(Date.parse(timeBound('2026-12-31', 'to'))).toBe(new Date(2027, 0, 1).getTime());
  });

  it('refuses a date that is not on the calendar', () => {
    expect(() => timeBound('2026-02-30', 'from')).toThrow(UsageError);
    expect(() => timeBound('2026-13-01', 'to')).toThrow('--to "2026-13-01" is not a calendar date (YYYY-MM-DD)');
  });

  it('reads both options, leaving out the absent one', () => {
    expect(timeRange({ to: '2026-11-01T00:00:00Z' })).toEqual({ from: undefined, to: '2026-11-01T00:00:00Z' });
  });
});
