import { dingrelayBackoff, RetryLaterError } from './retry-later.error.js';

describe('dingrelayBackoff', () => {
  it('waits exactly what a hand-back asks for, however many attempts came before', () => {
    expect(dingrelayBackoff(1, new RetryLaterError('paced', 250))).toBe(250);
    expect(dingrelayBackoff(400, new RetryLaterError('paused', 60_000))).toBe(60_000);
  });

  it('doubles from 1 s after unexpected failures', () => {
    const failure = new Error('Connection terminated');
    expect([1, 2, 3, 4].map((n) => dingrelayBackoff(n, failure))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('retries an outage within 30 s even after many pacing hand-backs (they count in Bull’s attemptsMade)', () => {
    expect(dingrelayBackoff(12, new Error('connect ECONNREFUSED'))).toBe(30_000);
    expect(dingrelayBackoff(999, new Error('connect ECONNREFUSED'))).toBe(30_000);
  });
});
