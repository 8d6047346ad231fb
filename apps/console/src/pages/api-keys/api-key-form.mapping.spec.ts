import dayjs from 'dayjs';
import { isScoped, toCreateApiKeyRequest } from './api-key-form.mapping';

describe('the API key form and the create request', () => {
  it('scopes a sender key to the configurations picked', () => {
    expect(toCreateApiKeyRequest({ name: ' billing-service ', role: 'sender', chatConfigurations: ['ops', 'hr', 'ops'] })).toEqual({
      name: 'billing-service',
      role: 'sender',
      chatConfigurations: ['ops', 'hr'],
    });
  });

  it('never sends a scope for admins and auditors, whatever the form still holds (the API refuses one)', () => {
    expect(isScoped('admin') || isScoped('auditor')).toBe(false);
    expect(toCreateApiKeyRequest({ name: 'ops', role: 'admin', chatConfigurations: ['ops'] })).toEqual({ name: 'ops', role: 'admin' });
    expect(toCreateApiKeyRequest({ name: 'audit', role: 'auditor', chatConfigurations: ['ops'] })).toEqual({ name: 'audit', role: 'auditor' });
  });

  it('sends an expiry picked in the user time zone as ISO-8601 with that offset', () => {
    const picked = dayjs('2027-06-30T18:00:00');
    const { expiresAt } = toCreateApiKeyRequest({ name: 'temp', role: 'auditor', expiresAt: picked });
    expect(expiresAt).toMatch(/^2027-06-30T18:00:00[+-]\d{2}:\d{2}$/);
    expect(Date.parse(expiresAt!)).toBe(picked.valueOf());
    expect(toCreateApiKeyRequest({ name: 'forever', role: 'auditor', expiresAt: null })).not.toHaveProperty('expiresAt');
  });
});
