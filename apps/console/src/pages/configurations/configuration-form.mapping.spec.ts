import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { type ConfigurationFormValues, formNameOf, formValuesOf, toCreateRequest, toPatchRequest } from './configuration-form.mapping';

const STORED: ChatConfigurationResponse = {
  name: 'ops-robot',
  type: 'DingTalk',
  status: 'active',
  ramRole: 'OOSServiceRole',
  resourceGroupId: null,
  tags: { team: 'ops', env: 'prod' },
  configuration: {
    clientId: 'ding-app',
    clientSecret: '******',
    robotCode: 'ding-robot',
    templateId: null,
    callsPerSecond: 20,
    paceUtilization: 0.8,
    monthlyCallQuota: 50000,
  },
  outputs: { url: 'https://relay.example.test/v1/callbacks/dingtalk/ops-robot', aesKey: '******', callbackToken: '******' },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('the configuration form and the create request', () => {
  it('sends every field filled in, under the request names', () => {
    const values: ConfigurationFormValues = {
      name: ' ops-robot ',
      type: 'DingTalk',
      status: 'inactive',
      ramRole: 'OOSServiceRole',
      resourceGroupId: 'rg-1',
      tags: [{ key: 'team', value: 'ops' }, { key: 'owner', value: '' }],
      configuration: { clientId: 'ding-app', clientSecret: ' s3cret ', robotCode: 'ding-robot', templateId: 'tpl', callsPerSecond: 60, paceUtilization: 0.5, monthlyCallQuota: 100000 },
    };
    expect(toCreateRequest(values)).toEqual({
      name: 'ops-robot',
      type: 'DingTalk',
      status: 'inactive',
      ramRole: 'OOSServiceRole',
      resourceGroupId: 'rg-1',
      tags: { team: 'ops', owner: '' },
      // The secret exactly as typed: spaces may belong to it.
      configuration: { clientId: 'ding-app', clientSecret: ' s3cret ', robotCode: 'ding-robot', templateId: 'tpl', callsPerSecond: 60, paceUtilization: 0.5, monthlyCallQuota: 100000 },
    });
  });

  it('leaves out what was left empty, so the server defaults apply', () => {
    const values: ConfigurationFormValues = {
      name: 'wechat-1',
      type: 'WeChat',
      ramRole: '  ',
      tags: [{ key: '', value: 'orphan' }],
      configuration: { clientId: '', clientSecret: '', callsPerSecond: null },
    };
    expect(toCreateRequest(values)).toEqual({ name: 'wechat-1', type: 'WeChat' });
  });
});

describe('the configuration form and the PATCH request', () => {
  it('sends nothing when nothing changed, the stored secret included', () => {
    expect(toPatchRequest(STORED, formValuesOf(STORED))).toEqual({});
  });

  it('sends only the changed fields', () => {
    const values = formValuesOf(STORED);
    values.status = 'inactive';
    values.configuration!.callsPerSecond = 60;
    expect(toPatchRequest(STORED, values)).toEqual({ status: 'inactive', configuration: { callsPerSecond: 60 } });
  });

  it('sends null for a cleared optional field, and a typed secret to replace the stored one', () => {
    const values = formValuesOf(STORED);
    values.ramRole = '';
    values.configuration!.monthlyCallQuota = null;
    values.configuration!.paceUtilization = undefined;
    values.configuration!.clientSecret = 'new-secret';
    expect(toPatchRequest(STORED, values)).toEqual({
      ramRole: null,
      configuration: { clientSecret: 'new-secret', paceUtilization: null, monthlyCallQuota: null },
    });
  });

  it('sends the whole tag map when a tag changed (the API replaces it), and not when only their order did', () => {
    const reordered = formValuesOf(STORED);
    reordered.tags = [...reordered.tags!].reverse();
    expect(toPatchRequest(STORED, reordered)).toEqual({});

    const values = formValuesOf(STORED);
    values.tags = [{ key: 'team', value: 'sre' }];
    expect(toPatchRequest(STORED, values)).toEqual({ tags: { team: 'sre' } });
    values.tags = [];
    expect(toPatchRequest(STORED, values)).toEqual({ tags: {} });
  });
});

describe("the API's field paths", () => {
  it('name the nested form fields', () => {
    expect(formNameOf('configuration.clientId')).toEqual(['configuration', 'clientId']);
    expect(formNameOf('plugins.3.icon')).toEqual(['plugins', 3, 'icon']);
    expect(formNameOf('name')).toEqual(['name']);
  });
});
