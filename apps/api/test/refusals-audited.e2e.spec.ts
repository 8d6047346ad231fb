import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { deleteQueuePrefix, openTestDataSource, uniqueQueuePrefix } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { apiRequest, startTestApi } from './support/test-api.js';

/**
 * A change the API refuses is audited as failed (README, "Audit and retention"), whatever the reason: issue #13
 * finding 6 found three paths that answered 404 before reaching the audit — a revoke of an unknown key, a plugins
 * change on an unknown configuration, and a cancel (or recall, or read-status refresh) of an id that is no UUID.
 */
describe('refused changes are audited', () => {
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('refusals-audited');
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: `refusals-robot-${run}` });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await db?.destroy();
    await api?.close();
    await deleteQueuePrefix(prefix);
  });

  const ENTRY = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave', mobileUrl: 'https://m.example.test/leave' };

  it.each([
    ['revoke of an unknown key', 'post', `/v1/api-keys/${randomUUID()}/revoke`, undefined, 'api-key.revoke', 'api-key'],
    ['revoke of an id that is no UUID', 'post', `/v1/api-keys/no-such-key/revoke`, undefined, 'api-key.revoke', 'api-key'],
    ['cancel of an id that is no UUID', 'post', `/v1/sends/not-a-uuid/cancel`, undefined, 'send.cancel', 'send'],
    ['recall of an id that is no UUID', 'post', `/v1/sends/not-a-uuid/recall`, undefined, 'send.recall', 'send'],
    ['read-status refresh of an id that is no UUID', 'post', `/v1/sends/not-a-uuid/read-status/refresh`, undefined, 'send.read-status.refresh', 'send'],
    ['plugins set on an unknown configuration', 'put', `/v1/chat-configurations/refusals-missing-${run}/plugins`, { plugins: [ENTRY] }, 'plugins.set', 'chat-configuration'],
    ['plugins clear on an unknown configuration', 'delete', `/v1/chat-configurations/refusals-missing-${run}/plugins`, undefined, 'plugins.clear', 'chat-configuration'],
  ] as const)('%s: 404, and a failed audit event with the request id', async (_what, method, path: string, body, action, targetType) => {
    const requestId = `refusal-${randomUUID()}`;
    const target = path;
    const call = apiRequest(api)[method](target).set('X-Request-Id', requestId);
    const res = await (body ? call.send(body) : call);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    const events: { action: string; target_type: string; target_id: string; outcome: string; error_code: string }[] = await db.query(
      `SELECT action, target_type, target_id, outcome, coalesce(details->>'errorCode', details->>'code') AS error_code FROM audit_events WHERE request_id = $1`,
      [requestId],
    );
    const targetId = target.split('/')[3];
    expect(events).toEqual([{ action, target_type: targetType, target_id: targetId, outcome: 'failed', error_code: 'NOT_FOUND' }]);
  });
});
