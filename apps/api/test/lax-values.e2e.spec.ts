import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { deleteQueuePrefix, openTestDataSource, uniqueQueuePrefix } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';

/**
 * Values the API used to take too loosely (issue #13, finding 9): an `expiresAt` with no offset, a sender key scoped
 * to configurations that do not exist, and what a deleted (and re-created) configuration leaves behind (the whole of
 * that, finding 9c, in recreated-configuration.e2e.spec.ts).
 */
describe('lax values', () => {
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('api-lax');
  const run = randomUUID().slice(0, 8);
  const http = () => apiRequest(api);

  const configurationBody = (name: string) => ({
    name,
    type: 'DingTalk',
    configuration: { clientId: 'lax-app', clientSecret: 'lax-secret', robotCode: 'lax-robot' },
  });
  const countKeys = async () => (await db.query(`SELECT count(*)::int AS n FROM api_keys`))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'lax-robot' });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await api?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  describe('expiresAt', () => {
    it.each(['2099-01-01T00:00:00', '2099-01-01T00:00', '2099-01-01', '2099-01-01T00:00:00.000'])(
      'refuses %s (no offset) with a 400 naming expiresAt, and writes no key',
      async (expiresAt) => {
        const before = await countKeys();
        const res = await http().post('/v1/api-keys').send({ name: `lax-${run}`, role: 'auditor', expiresAt }).expect(400);
        expect(res.body.details).toEqual([{ field: 'expiresAt', message: expect.stringContaining('offset') }]);
        expect(await countKeys()).toBe(before);
      },
    );

    it('takes the instant an explicit offset names', async () => {
      const utc = await http().post('/v1/api-keys').send({ name: `lax-z-${run}`, role: 'auditor', expiresAt: '2099-01-01T00:00:00Z' }).expect(201);
      expect(utc.body.expiresAt).toBe('2099-01-01T00:00:00.000Z');
      const beijing = await http().post('/v1/api-keys').send({ name: `lax-8-${run}`, role: 'auditor', expiresAt: '2099-01-01T08:00:00+08:00' }).expect(201);
      expect(beijing.body.expiresAt).toBe('2099-01-01T00:00:00.000Z');
    });
  });

  describe('a sender key scope', () => {
    const existing = `lax-scope-${run}`;
    beforeAll(async () => {
      await http().post('/v1/chat-configurations').send(configurationBody(existing)).expect(201);
    });

    it.each([['*'], ["' OR 1=1--"], ['no-such-configuration']])(
      'refuses %j, naming its place in chatConfigurations, and writes nothing',
      async (bogus) => {
        const before = await countKeys();
        const res = await http().post('/v1/api-keys')
          .send({ name: `lax-sender-${run}`, role: 'sender', chatConfigurations: [existing, bogus] })
          .expect(400);
        expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details).toEqual([{ field: 'chatConfigurations[1]', message: expect.stringContaining(JSON.stringify(bogus)) }]);
        expect(await countKeys()).toBe(before);
      },
    );

    it('accepts existing configurations and the deployment default (whose row the first start creates)', async () => {
      const res = await http().post('/v1/api-keys')
        .send({ name: `lax-sender-ok-${run}`, role: 'sender', chatConfigurations: [existing, 'default'] })
        .expect(201);
      expect(res.body.chatConfigurations).toEqual([existing, 'default']);
    });

    it('loses a configuration deleted later: no sends through it or reads of its sends, and a re-created one is not in scope', async () => {
      const doomed = `lax-doomed-${run}`;
      await http().post('/v1/chat-configurations').send(configurationBody(doomed)).expect(201);
      const { key } = await createTestApiKey(api, { role: 'sender', name: `lax-doomed-${run}`, chatConfigurations: [doomed] });
      const send = { userIds: ['u-1'], msgKey: 'sampleText', msgParam: { content: 'before the delete' }, chatConfiguration: doomed };
      const old = await apiRequest(api, key).post('/v1/sends').send(send).expect(202);
      await apiRequest(api, key).post(`/v1/sends/${old.body.id}/cancel`).expect(200); // finished: the delete may go ahead
      await http().delete(`/v1/chat-configurations/${doomed}`).expect(200);

      // The delete took the name out of the key's scope (issue #13, finding 9c): it is left with none.
      const me = await apiRequest(api, key).get('/v1/api-keys/current').expect(200);
      expect(me.body.chatConfigurations).toEqual([]);
      await apiRequest(api, key).post('/v1/sends').send({ ...send, msgParam: { content: 'after' } }).expect(403);
      await apiRequest(api, key).get(`/v1/sends/${old.body.id}`).expect(403);
      // A new key may no longer name it.
      await http().post('/v1/api-keys').send({ name: `lax-late-${run}`, role: 'sender', chatConfigurations: [doomed] }).expect(400);

      // Re-created under the same name: another configuration, not in the old key's scope; an admin still finds the old
      // send under the name, marked as made through a deleted configuration.
      await http().post('/v1/chat-configurations').send(configurationBody(doomed)).expect(201);
      await apiRequest(api, key).post('/v1/sends').send({ ...send, msgParam: { content: 'through the new one' } }).expect(403);
      await apiRequest(api, key).get('/v1/sends').query({ chatConfiguration: doomed }).expect(403);
      const history = await http().get('/v1/sends').query({ chatConfiguration: doomed }).expect(200);
      expect(history.body.items.map((s: { id: string; chatConfigurationDeleted: boolean }) => [s.id, s.chatConfigurationDeleted])).toEqual([[old.body.id, true]]);
    });
  });
});
