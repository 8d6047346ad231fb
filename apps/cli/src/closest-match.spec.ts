import { closestMatch, didYouMean, editDistance } from './closest-match.js';

describe('closest match', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('history', 'history')).toBe(0);
    expect(editDistance('histroy', 'history')).toBe(1);
    expect(editDistance('sned', 'send')).toBe(1);
    expect(editDistance('statu', 'status')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest candidate only when it is near enough', () => {
    const commands = ['send', 'status', 'recipients', 'events', 'history', 'export', 'usage'];
    expect(closestMatch('histroy', commands)).toBe('history');
    expect(closestMatch('stauts', commands)).toBe('status');
    expect(closestMatch('Send', commands)).toBe('send');
    expect(closestMatch('sned', ['sends', 'recipients'])).toBe('sends');
    expect(closestMatch('frobnicate', commands)).toBeUndefined();
    expect(closestMatch('x', commands)).toBeUndefined();
    expect(closestMatch('--staus', ['--status', '--user', '--json'])).toBe('--status');
  });

  it('phrases the suggestion, or says nothing', () => {
    expect(didYouMean('histroy', ['history'])).toBe(' Did you mean `history`?');
    expect(didYouMean('zzz', ['history'])).toBe('');
  });
});
