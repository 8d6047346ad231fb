import { DEFAULT_SETTINGS, DEV_APP, resolveSettings, SimConfigError } from './simulator-config.js';

describe('resolveSettings', () => {
  it('defaults to the dev app, ^user-\\d+$ users, 20 userIds, 15000 bytes, 7200 s tokens and no faults', () => {
    const settings = resolveSettings({});
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(settings.apps).toEqual([DEV_APP]);
    expect(settings).toMatchObject({ users: { pattern: '^user-\\d+$' }, maxUserIdsPerCall: 20, maxMsgParamBytes: 15000, tokenTtlSeconds: 7200 });
    expect(settings.faults).toMatchObject({ qpsLimitPerApp: 0, systemBusyRate: 0, script: [] });
  });

  it('replaces only the given top-level keys', () => {
    const base = resolveSettings({ maxUserIdsPerCall: 100 });
    const next = resolveSettings({ flowControl: { userIds: ['user-1'] } }, base);
    expect(next.maxUserIdsPerCall).toBe(100);
    expect(next.flowControl).toEqual({ userIds: ['user-1'], times: 1, rate: 0 });
    expect(resolveSettings({ faults: { latencyMs: 5 } }).faults.latencyMs).toEqual({ min: 5, max: 5 });
  });

  it.each([
    [{ maxUserIdz: 3 }, 'unknown key "maxUserIdz"'],
    [{ apps: [] }, 'apps'],
    [{ apps: [DEV_APP, DEV_APP] }, 'duplicate'],
    [{ users: { pattern: '(' } }, 'users.pattern'],
    [{ users: { pattern: 'a', ids: [] } }, 'exactly one'],
    [{ tokenTtlSeconds: 0 }, 'tokenTtlSeconds'],
    [{ maxUserIdsPerCall: 2.5 }, 'maxUserIdsPerCall'],
    [{ flowControl: { rate: 2 } }, 'flowControl.rate'],
    [{ faults: { systemBusyRate: -1 } }, 'faults.systemBusyRate'],
    [{ faults: { apis: ['groupSend'] } }, 'unknown api'],
    [{ faults: { latencyMs: { min: 5, max: 1 } } }, 'max must be >= min'],
    [{ faults: { script: [{ status: 200 }] } }, '400..599'],
    ['not an object', 'expected an object'],
  ])('rejects %j', (input, message) => {
    expect(() => resolveSettings(input)).toThrow(SimConfigError);
    expect(() => resolveSettings(input)).toThrow(message);
  });
});
