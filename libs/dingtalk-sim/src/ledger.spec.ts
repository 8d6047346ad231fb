import { Ledger, type RecordCallInput } from './ledger.js';

function call(key: string, delivered: string[], fingerprint = 'fp-a'): RecordCallInput {
  return {
    processQueryKey: key,
    appKey: 'app',
    robotCode: 'robot',
    msgKey: 'sampleText',
    msgParam: { content: fingerprint },
    fingerprint,
    acceptedAtMs: 0,
    delivered,
    invalid: [],
    flowControlled: [],
    filtered: [],
  };
}

describe('Ledger', () => {
  it('numbers deliveries in order and finds them by user across calls', () => {
    const ledger = new Ledger();
    ledger.record(call('k1', ['u1', 'u2', 'u3']));
    ledger.record(call('k2', ['u3', 'u1'], 'fp-b'));
    ledger.record(call('k3', ['u1'], 'fp-c'));
    const forU1 = ledger.deliveries({ userId: 'u1' }).deliveries.map((d) => [d.seq, d.processQueryKey]);
    expect(forU1).toEqual([
      [1, 'k1'],
      [5, 'k2'],
      [6, 'k3'],
    ]);
    expect(ledger.deliveries({ userId: 'u3', fingerprint: 'fp-b' }).deliveries.map((d) => d.seq)).toEqual([4]);
    expect(ledger.deliveries({ msgKey: 'sampleText' }).total).toBe(6);
    expect(ledger.deliveries({ robotCode: 'other' }).total).toBe(0);
  });

  it('counts duplicates the same way before and after a user passes the scan threshold', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 20; i++) ledger.record(call(`k${i}`, ['u1'], `fp-${i % 4}`));
    expect(ledger.countFor('u1')).toBe(20);
    expect(ledger.countOf('u1', 'fp-0')).toBe(5);
    expect(ledger.summary()).toMatchObject({ deliveries: 20, duplicatePairs: 4, duplicateDeliveries: 16 });
    expect(ledger.duplicates().map((d) => d.count)).toEqual([5, 5, 5, 5]);
  });

  it('forgets everything on clear()', () => {
    const ledger = new Ledger();
    ledger.record(call('k1', ['u1']));
    ledger.record(call('k2', ['u1']));
    ledger.clear();
    expect(ledger.summary()).toEqual({ deliveries: 0, distinctUsers: 0, calls: 0, distinctMessages: 0, duplicatePairs: 0, duplicateDeliveries: 0 });
    expect(ledger.call('k1')).toBeUndefined();
    ledger.record(call('k3', ['u1']));
    expect(ledger.deliveries().deliveries[0]).toMatchObject({ seq: 1, processQueryKey: 'k3' });
  });
});
