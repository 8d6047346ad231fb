import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { toApiErrorDetails } from '../errors/to-api-error-details.js';
import { SetPluginsRequest } from './set-plugins.request.js';

// As the API's ValidationPipe does: plainToInstance, then validate with the whitelist on.
async function problems(body: unknown): Promise<ApiErrorDetail[]> {
  const errors = await validate(plainToInstance(SetPluginsRequest, body) as object, { whitelist: true, forbidNonWhitelisted: true });
  return toApiErrorDetails(errors);
}

const ENTRY = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/a', mobileUrl: 'https://m.example.test/a' };

describe('SetPluginsRequest', () => {
  it('accepts i18n names, mediaId icons and https URLs (URLs optional)', async () => {
    expect(await problems({ plugins: [ENTRY, { name: { en_US: 'Only English' }, icon: '@abc' }] })).toEqual([]);
  });

  it.each([
    ['a name that is a plain string', { ...ENTRY, name: 'Leave' }, 'plugins.0.name', /must be an object of locale to text/],
    ['a name with no locale', { ...ENTRY, name: {} }, 'plugins.0.name', /at least one locale/],
    ['a malformed locale key', { ...ENTRY, name: { chinese: '请假' } }, 'plugins.0.name', /expected the form zh_CN/],
    ['an empty text', { ...ENTRY, name: { zh_CN: ' ' } }, 'plugins.0.name', /zh_CN must not be empty/],
    ['a non-string text', { ...ENTRY, name: { zh_CN: 5 } }, 'plugins.0.name', /zh_CN must be a string/],
    ['an over-long text', { ...ENTRY, name: { en_US: 'x'.repeat(65) } }, 'plugins.0.name', /at most 64 characters/],
    ['a missing icon', { name: ENTRY.name }, 'plugins.0.icon', /icon is required/],
    ['an icon that is not a mediaId', { ...ENTRY, icon: 'https://img.example.test/a.png' }, 'plugins.0.icon', /mediaId/],
    ['an http pcUrl', { ...ENTRY, pcUrl: 'http://pc.example.test/a' }, 'plugins.0.pcUrl', /https URL/],
    ['a javascript: mobileUrl', { ...ENTRY, mobileUrl: 'javascript:alert(1)' }, 'plugins.0.mobileUrl', /https URL/],
    ['an unknown field', { ...ENTRY, title: 'x' }, 'plugins.0.title', /should not exist/],
  ])('refuses %s, naming the field', async (_case, entry, field, message) => {
    const details = await problems({ plugins: [entry] });
    expect(details.map((d) => d.field)).toContain(field);
    expect(details.find((d) => d.field === field)?.message).toMatch(message);
  });

  it('refuses an empty or over-long list and a missing one', async () => {
    expect((await problems({ plugins: [] })).map((d) => d.field)).toEqual(['plugins']);
    expect((await problems({ plugins: Array.from({ length: 11 }, () => ENTRY) })).map((d) => d.field)).toEqual(['plugins']);
    expect((await problems({})).map((d) => d.field)).toContain('plugins');
  });
});
