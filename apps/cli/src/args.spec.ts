import { commandWords, integerOption, listOption, parseCommandArgs, positionalArgs, refuseSecretFlags } from './args.js';
import { UsageError } from './exit-codes.js';

describe('argument parsing', () => {
  it('finds the command words around global options and their values', () => {
    expect(commandWords(['--url', 'http://x', 'history', '--json', 'sends', '--status', 'completed'], 2)).toEqual(['history', 'sends']);
    expect(commandWords(['--json'], 2)).toEqual([]);
  });

  it('accepts global options anywhere and repeatable list options', () => {
    const { values, positionals } = parseCommandArgs(['send', '--json', '--user', 'a,b', '--user', ' c ', '--url', 'http://h:1'], {
      user: { type: 'string', multiple: true },
    });
    expect(positionals).toEqual(['send']);
    expect(values).toMatchObject({ json: true, url: 'http://h:1' });
    expect(listOption(values, 'user')).toEqual(['a', 'b', 'c']);
  });

  it('turns unknown options and missing values into usage errors', () => {
    expect(() => parseCommandArgs(['status', '--bogus'], {})).toThrow(UsageError);
    expect(() => parseCommandArgs(['status', '--bogus'], {})).toThrow(/--bogus/);
    expect(() => parseCommandArgs(['send', '--user'], { user: { type: 'string' } })).toThrow(UsageError);
  });

  it('refuses secrets given as flags, without repeating them', () => {
    expect(() => refuseSecretFlags(['status', '--api-key', 'drk_x'])).toThrow(/--api-key-file/);
    expect(() => refuseSecretFlags(['--client-secret=s3cret'])).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
    expect(() => refuseSecretFlags(['send', '--', '--api-key'])).not.toThrow();
  });

  it('checks numbers and positional counts', () => {
    expect(integerOption({ n: '10' }, 'n', { min: 1, max: 1000 })).toBe(10);
    expect(() => integerOption({ n: '1.5' }, 'n', { min: 1, max: 1000 })).toThrow(/--n must be a whole number from 1 to 1000/);
    expect(() => integerOption({ n: '0' }, 'n', { min: 1, max: 1000 })).toThrow(UsageError);
    expect(() => positionalArgs([], ['sendId'])).toThrow(/missing <sendId>/);
    expect(() => positionalArgs(['a', 'b'], ['sendId'])).toThrow(/unexpected argument "b"/);
  });
});
