import { permissionsOf } from './permissions';

describe('what each role may do in the console', () => {
  it('admins do everything, on every configuration', () => {
    const p = permissionsOf({ role: 'admin', chatConfigurations: null });
    expect([p.canWriteSend('any'), p.canReadRecords, p.canReadConfigurations, p.canAdminister]).toEqual([true, true, true, true]);
  });

  it('auditors read everything and change nothing', () => {
    const p = permissionsOf({ role: 'auditor', chatConfigurations: null });
    expect([p.canWriteSend('default'), p.canReadRecords, p.canReadConfigurations, p.canAdminister]).toEqual([false, true, true, false]);
  });

  it('senders act on sends through their configurations only, and read no records across them', () => {
    const p = permissionsOf({ role: 'sender', chatConfigurations: ['ops', 'hr'] });
    expect([p.canWriteSend('ops'), p.canWriteSend('hr'), p.canWriteSend('finance')]).toEqual([true, true, false]);
    expect([p.canReadRecords, p.canReadConfigurations, p.canAdminister]).toEqual([false, false, false]);
  });
});
