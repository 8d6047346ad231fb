import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startDingTalkSimulator, type DingTalkSimulator, type SimAppConfig } from '@dingrelay/dingtalk-sim';
import { deleteQueuePrefix, openTestDataSource, prepareTestDatabase, testDatabaseUrl, testRedisUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import {
  type AuditActor,
  type ChatConfigurationCredentials,
  ChatConfigurationsModule,
  ClearPluginsUseCase,
  DatabaseModule,
  DomainError,
  generateSecretEncryptionKey,
  GetPluginsUseCase,
  PluginsModule,
  QueueModule,
  SetPluginsUseCase,
} from '../src/index.js';

const APP: SimAppConfig = { appKey: 'plugins-test-app', appSecret: 'plugins-test-secret', robotCode: 'plugins-test-robot' };
const OTHER_APP: SimAppConfig = { appKey: 'plugins-other-app', appSecret: 'plugins-other-secret', robotCode: 'plugins-other-robot' };
// Its own app, so its pace (one call per 10 s) is nobody else's.
const SLOW_APP: SimAppConfig = { appKey: `plugins-slow-app-${Date.now().toString(36)}`, appSecret: 'plugins-slow-secret', robotCode: 'plugins-slow-robot' };
const suffix = Date.now().toString(36);
const CONFIG: ChatConfigurationCredentials = { name: `plugins-${suffix}`, ...APP };
const PINNED: ChatConfigurationCredentials[] = [
  CONFIG,
  { ...CONFIG, name: `plugins-mismatch-${suffix}`, robotCode: OTHER_APP.robotCode },
  { ...CONFIG, name: `plugins-missing-${suffix}`, robotCode: 'robot-never-installed' },
  { ...CONFIG, name: `plugins-wechat-${suffix}`, type: 'WeChat' },
  { ...CONFIG, name: `plugins-inactive-${suffix}`, status: 'inactive' },
  { name: `plugins-slow-${suffix}`, ...SLOW_APP, limits: { callsPerSecond: 0.1, paceUtilization: 1 } },
];
const ACTOR: AuditActor = { apiKeyId: null, name: 'plugins-test-admin', role: 'admin', requestId: `req-${suffix}` };
const ENTRY = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave', mobileUrl: 'https://m.example.test/leave' };

describe('robot quick entries against the simulator', () => {
  let sim: DingTalkSimulator;
  let app: INestApplicationContext;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('domain-plugins');

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase(testDatabaseUrl());
    sim = await startDingTalkSimulator({ apps: [APP, OTHER_APP, SLOW_APP], plugins: { maxPerRobot: 2 } });

    @Module({
      imports: [
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: 2, applicationName: 'plugins-test', migrate: false }),
        QueueModule.forRoot({ redisUrl: testRedisUrl(), prefix }),
        // The configurations' directory as every process has it, with this suite's configurations pinned.
        ChatConfigurationsModule.forRoot({ secretEncryptionKeys: generateSecretEncryptionKey('test'), pinned: PINNED }),
        PluginsModule.forRoot({ dingtalk: { baseUrl: sim.url, timeoutMs: 2_000 } }),
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    db = await openTestDataSource(databaseUrl);
  });

  beforeEach(() => sim.reset());

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await sim?.close();
    await deleteQueuePrefix(prefix);
  });

  const set = (chatConfiguration: string, plugins = [ENTRY]) => app.get(SetPluginsUseCase).execute({ chatConfiguration, plugins, actor: ACTOR });
  const auditRows = (target: string) =>
    db.query(`SELECT action, outcome, actor_name, request_id, details FROM audit_events WHERE target_id = $1 ORDER BY id`, [target]);
  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }

  it('sets the entries on DingTalk as its i18n JSON string, keeps the applied state and audits it in one go', async () => {
    const result = await set(CONFIG.name);
    expect(result).toMatchObject({ chatConfiguration: CONFIG.name, robotCode: APP.robotCode, applied: { action: 'set', plugins: [ENTRY], appliedBy: ACTOR.name } });
    // What DingTalk holds: the name as the JSON string it expects.
    expect(sim.plugins(APP.robotCode)).toEqual([{ ...ENTRY, name: JSON.stringify(ENTRY.name) }]);

    const [row] = await db.query(`SELECT robot_code, last_action, entries, applied_by FROM chat_configuration_plugins WHERE chat_configuration = $1`, [CONFIG.name]);
    expect(row).toEqual({ robot_code: APP.robotCode, last_action: 'set', entries: [ENTRY], applied_by: ACTOR.name });
    const audit = await auditRows(CONFIG.name);
    expect(audit.at(-1)).toMatchObject({ action: 'plugins.set', outcome: 'succeeded', actor_name: ACTOR.name, request_id: ACTOR.requestId, details: { robotCode: APP.robotCode, plugins: 1 } });

    const view = await app.get(GetPluginsUseCase).execute(CONFIG.name);
    expect(view.live).toEqual([{ ...ENTRY, rawName: JSON.stringify(ENTRY.name) }]);
    expect(view.lastApplied).toMatchObject({ action: 'set', plugins: [ENTRY] });
  });

  it('clears the entries on DingTalk and records the empty state with a plugins.clear audit event', async () => {
    await set(CONFIG.name);
    const result = await app.get(ClearPluginsUseCase).execute({ chatConfiguration: CONFIG.name, actor: ACTOR });
    expect(result.applied).toMatchObject({ action: 'clear', plugins: [] });
    expect(sim.plugins(APP.robotCode)).toEqual([]);
    const [row] = await db.query(`SELECT last_action, entries FROM chat_configuration_plugins WHERE chat_configuration = $1`, [CONFIG.name]);
    expect(row).toEqual({ last_action: 'clear', entries: [] });
    expect((await auditRows(CONFIG.name)).at(-1)).toMatchObject({ action: 'plugins.clear', outcome: 'succeeded' });
  });

  it.each([
    ['invalidRequest.exceededMaximumLimit', 'DINGTALK_REJECTED', 'plugins', CONFIG.name, [ENTRY, ENTRY, ENTRY]],
    ['invalidRequest.robotCodeNotMatch', 'DINGTALK_REJECTED', 'robotCode', `plugins-mismatch-${suffix}`, [ENTRY]],
    ['invalidRequest.robotNotExist', 'DINGTALK_REJECTED', 'robotCode', `plugins-missing-${suffix}`, [ENTRY]],
  ])('maps %s to %s naming %s, stores nothing and audits the refusal', async (dingTalkCode, code, field, target, plugins) => {
    const before = await db.query(`SELECT count(*)::int AS n FROM chat_configuration_plugins WHERE chat_configuration LIKE $1`, [`%${suffix}`]);
    const err = await refusal(set(target, plugins));
    expect(err.code).toBe(code);
    expect(err.details).toEqual([{ field, message: `DingTalk answered ${dingTalkCode}` }]);
    const after = await db.query(`SELECT count(*)::int AS n FROM chat_configuration_plugins WHERE chat_configuration LIKE $1`, [`%${suffix}`]);
    expect(after).toEqual(before);
    expect(sim.stats().errorsByCode[dingTalkCode]).toBe(1);
    expect((await auditRows(target)).at(-1)).toMatchObject({
      action: 'plugins.set',
      outcome: 'failed',
      details: { code },
    });
  });

  // Our validation keeps these from ever being provoked by a request; a scripted answer shows how they would surface.
  it.each([['param.illegal'], ['invalidRequest.jsonFormatErroj']])('maps a %s answer to DINGTALK_REJECTED', async (dingTalkCode) => {
    sim.injectFault({ api: 'pluginsSet', code: dingTalkCode, status: 400 });
    const err = await refusal(set(CONFIG.name));
    expect(err).toMatchObject({ code: 'DINGTALK_REJECTED', details: [{ field: 'dingtalk', message: `DingTalk answered ${dingTalkCode}` }] });
  });

  it('maps robotIsStop to CONFLICT for set, query and clear', async () => {
    sim.configure({ plugins: { maxPerRobot: 2, stoppedRobotCodes: [APP.robotCode] } });
    for (const act of [
      () => set(CONFIG.name),
      () => app.get(GetPluginsUseCase).execute(CONFIG.name),
      () => app.get(ClearPluginsUseCase).execute({ chatConfiguration: CONFIG.name, actor: ACTOR }),
    ]) {
      const err = await refusal(act());
      expect(err).toMatchObject({ code: 'CONFLICT', details: [{ field: 'robotCode', message: 'DingTalk answered invalidRequest.robotIsStop' }] });
    }
    expect(sim.stats().errorsByCode['invalidRequest.robotIsStop']).toBe(3);
  });

  it.each([['system.error'], ['invalidRequest.pluginInstallFail']])('maps %s to DINGTALK_UNAVAILABLE (503, retry later)', async (dingTalkCode) => {
    sim.injectFault({ api: 'pluginsSet', code: dingTalkCode });
    const err = await refusal(set(CONFIG.name));
    expect(err).toMatchObject({ code: 'DINGTALK_UNAVAILABLE', details: [{ field: 'dingtalk', message: `DingTalk answered ${dingTalkCode}` }] });
    expect(sim.plugins(APP.robotCode)).toEqual([]);
    expect((await auditRows(CONFIG.name)).at(-1)).toMatchObject({ action: 'plugins.set', outcome: 'failed', details: { code: 'DINGTALK_UNAVAILABLE' } });
  });

  it.each([
    [`plugins-wechat-${suffix}`, 'CONFLICT'],
    [`plugins-inactive-${suffix}`, 'CONFLICT'],
    [`plugins-unknown-${suffix}`, 'NOT_FOUND'],
  ])('refuses %s with %s before any DingTalk call', async (name, code) => {
    const err = await refusal(set(name));
    expect(err.code).toBe(code);
    expect(sim.stats().requests).toBe(0);
  });

  it("takes the app's pace slots: a call whose slot is further than the inline wait is answered DINGTALK_UNAVAILABLE", async () => {
    const name = `plugins-slow-${suffix}`;
    await app.get(GetPluginsUseCase).execute(name);
    const err = await refusal(app.get(GetPluginsUseCase).execute(name));
    expect(err.code).toBe('DINGTALK_UNAVAILABLE');
    expect(err.message).toMatch(/paced/);
    expect(sim.stats().plugins.query.calls).toBe(1);
  });

  it("counts every call in the configuration's monthly usage, refusals as errors", async () => {
    const usage = async () =>
      (await db.query(`SELECT coalesce(sum(calls), 0)::int AS calls, coalesce(sum(errors), 0)::int AS errors FROM dingtalk_usage WHERE chat_configuration = $1`, [CONFIG.name]))[0];
    const before = await usage();
    await set(CONFIG.name);
    await refusal(set(CONFIG.name, [ENTRY, ENTRY, ENTRY]));
    expect(await usage()).toEqual({ calls: before.calls + 2, errors: before.errors + 1 });
  });
});
