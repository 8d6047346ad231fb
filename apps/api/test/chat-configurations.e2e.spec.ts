import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { MASKED_SECRET } from '@dingrelay/contracts';
import { ChatConfigurationDirectory, FirstStartChatConfigurationCreator, SecretCipher } from '@dingrelay/domain';
import { deleteQueuePrefix, openTestDataSource, testSecretEncryptionKeys, uniqueQueuePrefix } from '@dingrelay/testing';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { OutputCapture } from './support/capture-output.js';
import { apiRequest, startTestApi } from './support/test-api.js';

const run = randomBytes(3).toString('hex');
/** Every name this suite creates starts with this: suites share the database. */
const P = `cc-${run}`;
/** Secrets this suite hands the API; none may come back in a response or show up in a log line. */
const secret = (label: string) => `sec-${label}-${randomBytes(12).toString('hex')}`;

describe('chat configurations: REST and OOS-compatible endpoint', () => {
  let api: INestApplication;
  let db: DataSource;
  const capture = new OutputCapture();
  const prefix = uniqueQueuePrefix('chat-config');
  const responses: Response[] = [];
  const secretsGiven: string[] = [];
  const revealedOnce: string[] = [];

  beforeAll(async () => {
    capture.start();
    api = await startTestApi({ queuePrefix: prefix, robotCode: `robot-${run}` });
    capture.attach(api);
    db = await openTestDataSource();
  });

  afterAll(async () => {
    capture.stop();
    await api?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  /** Every response passes through here, to be scanned for secrets at the end. */
  async function keep(request: PromiseLike<Response>): Promise<Response> {
    const response = await request;
    responses.push(response);
    return response;
  }
  const http = () => apiRequest(api);

  async function create(name: string, extra: Record<string, unknown> = {}, configuration: Record<string, unknown> = {}) {
    const clientSecret = secret(name);
    secretsGiven.push(clientSecret);
    const res = await keep(
      http()
        .post('/v1/chat-configurations')
        .send({
          name,
          type: 'DingTalk',
          configuration: { clientId: `app-${name}`, clientSecret, robotCode: `robot-${name}`, ...configuration },
          ...extra,
        }),
    );
    expect(res.status).toBe(201);
    revealedOnce.push(res.body.outputs.aesKey, res.body.outputs.callbackToken);
    return { res, clientSecret };
  }

  it('creates, reads, updates and deletes a configuration, masking its secrets and auditing each change', async () => {
    const name = `${P}-crud`;
    const { res: created, clientSecret } = await create(name, { ramRole: 'OOSServiceRole', tags: { env: 'prod' } }, {
      templateId: 'tmpl-1.schema',
      callsPerSecond: 10,
      monthlyCallQuota: 1000,
    });
    expect(created.body).toMatchObject({
      name,
      type: 'DingTalk',
      status: 'active',
      ramRole: 'OOSServiceRole',
      resourceGroupId: null,
      tags: { env: 'prod' },
      configuration: {
        clientId: `app-${name}`,
        clientSecret: MASKED_SECRET,
        robotCode: `robot-${name}`,
        templateId: 'tmpl-1.schema',
        callsPerSecond: 10,
        paceUtilization: null,
        monthlyCallQuota: 1000,
      },
    });
    expect(created.body.outputs.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:3000/v1/callbacks/dingtalk/${name}$`));
    // Generated once and shown in this response only (§9.4: 43 alphanumerics, token 3-32 alphanumerics).
    expect(created.body.outputs.aesKey).toMatch(/^[a-zA-Z0-9]{43}$/);
    expect(created.body.outputs.callbackToken).toMatch(/^[a-zA-Z0-9]{3,32}$/);
    expect(created.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(created.text).not.toContain(clientSecret);

    const got = await keep(http().get(`/v1/chat-configurations/${name}`));
    expect(got.status).toBe(200);
    expect(got.body.outputs).toMatchObject({ aesKey: MASKED_SECRET, callbackToken: MASKED_SECRET });
    expect(got.body.configuration.clientSecret).toBe(MASKED_SECRET);

    const newSecret = secret('rotated');
    secretsGiven.push(newSecret);
    const patched = await keep(
      http().patch(`/v1/chat-configurations/${name}`).send({ status: 'inactive', configuration: { clientSecret: newSecret, templateId: null } }),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'inactive', configuration: { clientSecret: MASKED_SECRET, templateId: null, callsPerSecond: 10 } });
    expect(new Date(patched.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.body.updatedAt).getTime());

    const put = await keep(http().put(`/v1/chat-configurations/${name}`).send({ status: 'active', resourceGroupId: 'rg-1' }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ status: 'active', resourceGroupId: 'rg-1', ramRole: 'OOSServiceRole' });

    // The stored secret is the new one: what the worker would use.
    const directory = api.get(ChatConfigurationDirectory);
    directory.invalidate(name);
    expect(await directory.find(name)).toMatchObject({ appKey: `app-${name}`, appSecret: newSecret, status: 'active', limits: { callsPerSecond: 10, monthlyCallQuota: 1000 } });

    const deleted = await keep(http().delete(`/v1/chat-configurations/${name}`));
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ name, deleted: true });
    expect((await keep(http().get(`/v1/chat-configurations/${name}`))).status).toBe(404);
    expect((await keep(http().delete(`/v1/chat-configurations/${name}`))).status).toBe(404);

    const audit: { action: string; outcome: string; actor_name: string; details: Record<string, unknown> }[] = await db.query(
      `SELECT action, outcome, actor_name, details FROM audit_events WHERE target_type = 'chat-configuration' AND target_id = $1 ORDER BY id`,
      [name],
    );
    expect(audit.map((a) => `${a.action} ${a.outcome}`)).toEqual([
      'chat-configuration.create succeeded',
      'chat-configuration.update succeeded',
      'chat-configuration.update succeeded',
      'chat-configuration.delete succeeded',
      // The second DELETE, refused (404), is recorded as such.
      'chat-configuration.delete failed',
    ]);
    expect(audit.every((a) => a.actor_name === 'test-admin')).toBe(true);
    expect(audit[1]!.details).toMatchObject({ fields: expect.arrayContaining(['status', 'configuration.clientSecret']) });
    expect(JSON.stringify(audit)).not.toContain(newSecret);
  });

  it('refuses bad input with 4xx naming the field, and writes nothing', async () => {
    const bad = async (body: Record<string, unknown>, status: number, field: string) => {
      const res = await keep(http().post('/v1/chat-configurations').send(body));
      expect({ status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({
        status,
        fields: expect.arrayContaining([field]),
      });
    };
    const ok = { type: 'DingTalk', configuration: { clientId: 'c', clientSecret: 's-bad-input', robotCode: 'r' } };
    await bad({ ...ok, name: '-starts-with-dash' }, 400, 'name');
    await bad({ ...ok, name: 'x'.repeat(129) }, 400, 'name');
    await bad({ ...ok, name: 'has space' }, 400, 'name');
    await bad({ ...ok, name: `${P}-t`, type: 'Slack' }, 400, 'type');
    await bad({ ...ok, name: `${P}-t`, configuration: { clientId: 'c', robotCode: 'r' } }, 400, 'configuration.clientSecret');
    await bad({ ...ok, name: `${P}-t`, configuration: { ...ok.configuration, callsPerSecond: 0 } }, 400, 'configuration.callsPerSecond');
    await bad({ ...ok, name: `${P}-t`, configuration: { ...ok.configuration, extra: 1 } }, 400, 'configuration.extra');
    await bad({ ...ok, name: `${P}-t`, tags: { 'a=b': 'x' } }, 400, 'tags');
    const [{ count }]: { count: string }[] = await db.query(`SELECT count(*) FROM chat_configurations WHERE name LIKE $1`, [`${P}-t%`]);
    expect(Number(count)).toBe(0);

    await create(`${P}-dup`);
    const dup = await keep(http().post('/v1/chat-configurations').send({ ...ok, name: `${P}-dup` }));
    expect(dup.status).toBe(409);
    expect(dup.body.details).toEqual([{ field: 'name', message: expect.any(String) }]);
  });

  it('stores secrets encrypted: the raw row holds no plaintext, and decrypts with the key its id names', async () => {
    const name = `${P}-raw`;
    const { res, clientSecret } = await create(name);
    const [row]: Record<string, unknown>[] = await db.query(`SELECT * FROM chat_configurations WHERE name = $1`, [name]);
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(clientSecret);
    expect(raw).not.toContain(res.body.outputs.aesKey);
    expect(raw).not.toContain(res.body.outputs.callbackToken);
    const cipher = new SecretCipher(testSecretEncryptionKeys());
    expect(row!['secret_key_id']).toBe(cipher.activeKeyId);
    expect(cipher.decrypt(String(row!['secret_key_id']), String(row!['client_secret_encrypted']), `chat_configurations.clientSecretEncrypted:${String(row!['id'])}`)).toBe(clientSecret);
    // Bound to its row and column: the same ciphertext read as another column does not decrypt.
    expect(() =>
      cipher.decrypt(String(row!['secret_key_id']), String(row!['client_secret_encrypted']), `chat_configurations.aesKeyEncrypted:${String(row!['id'])}`),
    ).toThrow();
  });

  it('lists with filters on name, type, status and tags, paging by nextToken across inserts', async () => {
    const L = `${P}-list`;
    await create(`${L}-b`, { tags: { env: 'prod', team: 'ops' } });
    await create(`${L}-d`, { status: 'inactive', tags: { env: 'dev' } });
    await keep(http().post('/v1/chat-configurations').send({ name: `${L}-f`, type: 'WeChat', ramRole: 'OOSServiceRole' })).then((r) => expect(r.status).toBe(201));
    await create(`${L}-h`, { tags: { env: 'prod' } });

    const names = async (query: string) => {
      const res = await keep(http().get(`/v1/chat-configurations?name=${L}&${query}`));
      expect(res.status).toBe(200);
      return res.body.items.map((i: { name: string }) => i.name);
    };
    expect(await names('')).toEqual([`${L}-b`, `${L}-d`, `${L}-f`, `${L}-h`]);
    expect(await names('type=WeChat')).toEqual([`${L}-f`]);
    expect(await names('status=inactive')).toEqual([`${L}-d`]);
    expect(await names('tag=env%3Dprod')).toEqual([`${L}-b`, `${L}-h`]);
    expect(await names('tag=team')).toEqual([`${L}-b`]);
    expect(await names('status=active&tag=env%3Ddev')).toEqual([]);

    const first = await keep(http().get(`/v1/chat-configurations?name=${L}&maxResults=2`));
    expect(first.body.items.map((i: { name: string }) => i.name)).toEqual([`${L}-b`, `${L}-d`]);
    expect(first.body.nextToken).toEqual(expect.any(String));
    // Inserted between pages: one before the cursor (belongs to a page already read), one after it.
    await create(`${L}-a`);
    await create(`${L}-e`);
    const second = await keep(http().get(`/v1/chat-configurations?name=${L}&maxResults=2&nextToken=${first.body.nextToken}`));
    expect(second.body.items.map((i: { name: string }) => i.name)).toEqual([`${L}-e`, `${L}-f`]);
    const third = await keep(http().get(`/v1/chat-configurations?name=${L}&maxResults=2&nextToken=${second.body.nextToken}`));
    expect(third.body.items.map((i: { name: string }) => i.name)).toEqual([`${L}-h`]);
    expect(third.body.nextToken).toBeNull();
    expect(third.body.items[0].outputs.aesKey).toBe(MASKED_SECRET);

    const otherQuery = await keep(http().get(`/v1/chat-configurations?name=${L}&type=WeChat&nextToken=${first.body.nextToken}`));
    expect(otherQuery.status).toBe(400);
    expect(otherQuery.body.details[0].field).toBe('nextToken');
    expect((await keep(http().get(`/v1/chat-configurations?maxResults=101`))).status).toBe(400);
  });

  it('sends name their configuration: unknown → 400, WeChat or inactive → 409, nothing written', async () => {
    const msg = { userIds: ['u-1'], msgKey: 'sampleText', msgParam: { content: 'hi' } };
    const countSends = async (configuration: string) =>
      Number((await db.query(`SELECT count(*) AS n FROM sends WHERE chat_configuration = $1`, [configuration]))[0].n);

    const unknown = await keep(http().post('/v1/sends').send({ ...msg, chatConfiguration: `${P}-nope` }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([{ field: 'chatConfiguration', message: expect.stringContaining(`${P}-nope`) }]);
    expect((await keep(http().post('/v1/sends').send({ ...msg, chatConfiguration: 'bad name' }))).status).toBe(400);

    await keep(http().post('/v1/chat-configurations').send({ name: `${P}-wechat`, type: 'WeChat' }));
    const wechat = await keep(http().post('/v1/sends').send({ ...msg, chatConfiguration: `${P}-wechat` }));
    expect(wechat.status).toBe(409);
    expect(wechat.body.details).toEqual([{ field: 'chatConfiguration', message: expect.stringContaining('WeChat') }]);

    await create(`${P}-off`, { status: 'inactive' });
    const inactive = await keep(http().post('/v1/sends').send({ ...msg, chatConfiguration: `${P}-off` }));
    expect(inactive.status).toBe(409);
    expect(inactive.body.message).toMatch(/inactive/);
    expect(await countSends(`${P}-wechat`)).toBe(0);
    expect(await countSends(`${P}-off`)).toBe(0);

    // Active again: the same request is accepted and records the configuration's robot.
    await keep(http().patch(`/v1/chat-configurations/${P}-off`).send({ status: 'active' }));
    const accepted = await keep(http().post('/v1/sends').send({ ...msg, chatConfiguration: `${P}-off` }));
    expect(accepted.status).toBe(202);
    const [send]: { chat_configuration: string; robot_code: string }[] = await db.query(
      `SELECT chat_configuration, robot_code FROM sends WHERE id = $1`,
      [accepted.body.id],
    );
    expect(send).toEqual({ chat_configuration: `${P}-off`, robot_code: `robot-${P}-off` });

    // No worker runs in this suite: the send stays in progress, and its configuration can't be deleted.
    const refused = await keep(http().delete(`/v1/chat-configurations/${P}-off`));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/in progress/);
    const [refusal]: { outcome: string; details: { errorCode: string } }[] = await db.query(
      `SELECT outcome, details FROM audit_events WHERE action = 'chat-configuration.delete' AND target_id = $1`,
      [`${P}-off`],
    );
    expect(refusal).toMatchObject({ outcome: 'failed', details: { errorCode: 'CONFLICT' } });
    expect((await keep(http().get(`/v1/chat-configurations/${P}-off`))).status).toBe(200);
    const cancelled = await keep(http().post(`/v1/sends/${accepted.body.id}/cancel`));
    expect(cancelled.status).toBe(200);
    // Cancelled before any batch went out: the send is complete, and the configuration can go.
    const [{ completed }]: { completed: boolean }[] = await db.query(`SELECT completed_at IS NOT NULL AS completed FROM sends WHERE id = $1`, [accepted.body.id]);
    expect(completed).toBe(true);
    expect((await keep(http().delete(`/v1/chat-configurations/${P}-off`))).status).toBe(200);
  });

  describe('OOS-compatible endpoint (seed 002)', () => {
    const oos = (params: Record<string, string>) => keep(http().post('/v1/oos').type('form').send(params));
    const OOS_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;

    it('creates, gets, lists, updates and deletes with OOS names, in the query string or a form body', async () => {
      const name = `${P}-chatops`;
      const clientSecret = secret('oos');
      secretsGiven.push(clientSecret);
      const created = await oos({
        Action: 'CreateChatConfiguration',
        RegionId: 'cn-hangzhou',
        Name: name,
        Type: 'DingTalk',
        RamRole: 'AliyunOOSDefaultRole',
        Configuration: JSON.stringify({
          DingTalkClientId: 'ding-client',
          DingTalkClientSecret: clientSecret,
          DingTalkTemplateId: 'a1b2-c3d4.schema',
          DingTalkRobotCode: 'ding-robot',
        }),
      });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({
        RequestId: expect.any(String),
        ChatConfiguration: { Name: name, CreatedDate: expect.stringMatching(OOS_DATE), UpdatedDate: expect.stringMatching(OOS_DATE), Outputs: expect.any(String) },
      });
      revealedOnce.push(JSON.parse(created.body.ChatConfiguration.Outputs).AesKey);

      // Get, with its parameters in the query string.
      const got = await keep(http().post(`/v1/oos?Action=GetChatConfiguration&RegionId=cn-hangzhou&Name=${name}`));
      expect(got.status).toBe(200);
      expect(got.body.RequestId).toEqual(expect.any(String));
      expect(got.body.ChatConfiguration).toMatchObject({
        Name: name,
        Type: 'DingTalk',
        RamRole: 'AliyunOOSDefaultRole',
        ResourceGroupId: null,
        CreatedDate: expect.stringMatching(OOS_DATE),
        UpdatedDate: expect.stringMatching(OOS_DATE),
      });
      expect(JSON.parse(got.body.ChatConfiguration.Configuration)).toMatchObject({
        DingTalkClientId: 'ding-client',
        DingTalkClientSecret: '******',
        DingTalkTemplateId: 'a1b2-c3d4.schema',
        DingTalkRobotCode: 'ding-robot',
      });
      expect(JSON.parse(got.body.ChatConfiguration.Outputs)).toEqual({ URL: expect.stringMatching(/\/v1\/callbacks\/dingtalk\//), AesKey: '******' });

      const updated = await oos({ Action: 'UpdateChatConfiguration', RegionId: 'cn-hangzhou', Name: name, RamRole: 'OOSServiceRole' });
      expect(updated.status).toBe(200);
      expect(updated.body.ChatConfiguration).toEqual({ Name: name, CreatedDate: expect.stringMatching(OOS_DATE), UpdatedDate: expect.stringMatching(OOS_DATE) });

      const deleted = await oos({ Action: 'DeleteChatConfiguration', RegionId: 'cn-hangzhou', Name: name });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ RequestId: expect.any(String), Content: 'Chat configuration deleted successfully.' });
    });

    it("answers ListChatConfigurations as seed 002's example shows, with Filters, MaxResults and NextToken", async () => {
      const W = `${P}-test-wechat`;
      for (const suffix of ['1', '2', '3']) {
        const res = await oos({ Action: 'CreateChatConfiguration', RegionId: 'cn-hangzhou', Name: `${W}-${suffix}`, Type: 'WeChat', RamRole: 'OOSServiceRole' });
        expect(res.status).toBe(200);
      }
      await oos({ Action: 'UpdateChatConfiguration', Name: `${W}-3`, Status: 'inactive' });

      const listed = await oos({
        Action: 'ListChatConfigurations',
        RegionId: 'cn-hangzhou',
        Filters: JSON.stringify([{ Name: 'name', Value: W }, { Name: 'type', Value: 'WeChat' }]),
        MaxResults: '2',
      });
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({
        RequestId: expect.any(String),
        ChatConfigurations: [
          {
            Name: `${W}-1`,
            CreatedDate: expect.stringMatching(OOS_DATE),
            UpdatedDate: expect.stringMatching(OOS_DATE),
            RamRole: 'OOSServiceRole',
            Type: 'WeChat',
            Outputs: expect.any(String),
          },
          expect.objectContaining({ Name: `${W}-2`, Type: 'WeChat' }),
        ],
        NextToken: expect.any(String),
      });
      expect(JSON.parse(listed.body.ChatConfigurations[0].Outputs)).toEqual({ URL: expect.any(String), AesKey: '******' });

      const next = await oos({
        Action: 'ListChatConfigurations',
        Filters: JSON.stringify([{ Name: 'name', Value: W }, { Name: 'type', Value: 'WeChat' }]),
        MaxResults: '2',
        NextToken: listed.body.NextToken,
      });
      expect(next.body.ChatConfigurations.map((c: { Name: string }) => c.Name)).toEqual([`${W}-3`]);
      expect(next.body.NextToken).toBeUndefined();

      // A token that does not fit is named as the caller sent it, in OOS's error shape.
      const otherQuery = await oos({ Action: 'ListChatConfigurations', MaxResults: '2', NextToken: listed.body.NextToken });
      expect(otherQuery.status).toBe(400);
      expect(otherQuery.body).toMatchObject({ Code: expect.any(String), Message: expect.stringMatching(/^Invalid NextToken: belongs to a different query/) });
      const forged = await oos({ Action: 'ListChatConfigurations', NextToken: 'not-a-token' });
      expect(forged.status).toBe(400);
      expect(forged.body.Message).toBe('Invalid NextToken: is not a token this API issued');

      // Seed 002's filter example: [{"Name": "status", "Value": "inactive"}, …].
      const inactive = await oos({ Action: 'ListChatConfigurations', Filters: JSON.stringify([{ Name: 'status', Value: 'inactive' }, { Name: 'name', Value: W }]) });
      expect(inactive.body.ChatConfigurations.map((c: { Name: string }) => c.Name)).toEqual([`${W}-3`]);
      // …and the example exactly as the seed gives it: no configuration has the type "private", so none is listed.
      const seedExample = await oos({
        Action: 'ListChatConfigurations',
        RegionId: 'cn-hangzhou',
        Filters: '[{"Name": "status", "Value": "inactive"}, {"Name": "type", "Value": "private"}]',
        MaxResults: '10',
      });
      expect(seedExample.status).toBe(200);
      expect(seedExample.body).toEqual({ RequestId: expect.any(String), ChatConfigurations: [] });
    });

    it('answers errors in OOS shape with a 4xx', async () => {
      const error = (res: Response, status: number, code: string) => {
        expect(res.status).toBe(status);
        expect(res.body).toEqual({ RequestId: expect.any(String), HostId: expect.any(String), Code: code, Message: expect.any(String), Recommend: expect.any(String) });
      };
      error(await oos({ Action: 'GetChatConfiguration', Name: `${P}-missing` }), 404, 'EntityNotExists.ChatConfiguration');
      error(await oos({ Action: 'GetChatConfiguration' }), 400, 'MissingParameter');
      error(await oos({ Action: 'DescribeInstances' }), 400, 'InvalidParameter');
      error(await oos({ Action: 'CreateChatConfiguration', Name: `${P}-badjson`, Configuration: '{not json' }), 400, 'InvalidParameter');
      const missingSecret = await oos({ Action: 'CreateChatConfiguration', Name: `${P}-nosecret`, Type: 'DingTalk', Configuration: JSON.stringify({ DingTalkClientId: 'x', DingTalkRobotCode: 'r' }) });
      error(missingSecret, 400, 'InvalidParameter');
      expect(missingSecret.body.Message).toMatch(/clientSecret/);
      error(await oos({ Action: 'CreateChatConfiguration', Name: 'bad name' }), 400, 'InvalidParameter');
      error(await oos({ Action: 'ListChatConfigurations', Filters: JSON.stringify([{ Name: 'color', Value: 'red' }]) }), 400, 'InvalidParameter');
      await oos({ Action: 'CreateChatConfiguration', Name: `${P}-twice`, Type: 'WeChat' });
      error(await oos({ Action: 'CreateChatConfiguration', Name: `${P}-twice`, Type: 'WeChat' }), 409, 'EntityAlreadyExists.ChatConfiguration');
      // Without a key: the same OOS shape, 401.
      error(await keep(apiRequest(api, null).post('/v1/oos').type('form').send({ Action: 'ListChatConfigurations' })), 401, 'InvalidAccessKeyId');
    });
  });

  it('creates the environment app at first start once, however many processes start at the same time', async () => {
    const name = `${P}-first`;
    const appSecret = secret('first-start');
    secretsGiven.push(appSecret);
    const creator = api.get(FirstStartChatConfigurationCreator);
    const firstStart = { name, appKey: 'env-app', appSecret, robotCode: 'env-robot' };
    // As the API and the worker (and a second worker) starting together would.
    const created = await Promise.all([creator.ensure(firstStart), creator.ensure(firstStart), creator.ensure(firstStart)]);
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await creator.ensure({ ...firstStart, robotCode: 'changed-in-env' })).toBe(false);

    const got = await keep(http().get(`/v1/chat-configurations/${name}`));
    expect(got.body).toMatchObject({ name, type: 'DingTalk', status: 'active', configuration: { clientId: 'env-app', clientSecret: MASKED_SECRET, robotCode: 'env-robot' } });
    expect(await api.get(ChatConfigurationDirectory).find(name)).toMatchObject({ appKey: 'env-app', appSecret, robotCode: 'env-robot' });
    const audit: { actor_name: string }[] = await db.query(
      `SELECT actor_name FROM audit_events WHERE action = 'chat-configuration.create' AND target_id = $1`,
      [name],
    );
    expect(audit).toEqual([{ actor_name: 'system:first-start' }]);
  });

  it('never shows a client secret in any response, nor any secret in any log line', () => {
    expect(responses.length).toBeGreaterThan(40);
    const bodies = responses.map((r) => r.text).join('\n');
    for (const value of secretsGiven) expect(bodies).not.toContain(value);
    const logs = capture.text();
    // The capture did see the apps' logging (so an empty scan can't pass by accident).
    expect(logs.length).toBeGreaterThan(0);
    for (const value of [...secretsGiven, ...revealedOnce]) expect(logs).not.toContain(value);
  });
});
