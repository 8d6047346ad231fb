import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { openTestDataSource } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { DEFAULT_DINGTALK_LIMITS, GetUsageUseCase, recordUsage } from '../src/index.js';

describe('usage meter', () => {
  let db: DataSource;
  const limits = { ...DEFAULT_DINGTALK_LIMITS, monthlyCallQuota: 10, quotaWarningRatio: 0.5 };

  beforeAll(async () => {
    db = await openTestDataSource();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('sums calls over its shard rows and logs the quota warning once, when billable calls cross the threshold', async () => {
    const configuration = `meter-${randomBytes(4).toString('hex')}`;
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const warningsFor = () => warn.mock.calls.filter(([message]) => String(message).includes(configuration));
    try {
      const record = (billable: number, extra: object = {}) =>
        db.transaction((tx) => recordUsage(tx, configuration, { calls: billable, billableCalls: billable, recipients: 20 * billable, ...extra }, limits));

      for (let i = 0; i < 4; i += 1) await record(1);
      expect(warningsFor()).toHaveLength(0);
      await record(1); // the 5th of 10: the 50% threshold
      expect(warningsFor()).toHaveLength(1);
      expect(String(warningsFor()[0]![0])).toContain(`${configuration} has used 5 of its 10 DingTalk calls this month`);
      await record(1);
      await record(0, { calls: 1, throttled: 1 }); // throttled calls are not billed
      expect(warningsFor()).toHaveLength(1);

      const usage = await new GetUsageUseCase(db, limits).execute({ include: [configuration] });
      expect(usage.configurations.find((c) => c.chatConfiguration === configuration)).toMatchObject({
        calls: 7, billableCalls: 6, recipients: 120, throttled: 1,
        quota: { monthlyCalls: 10, remaining: 4, usedRatio: 0.6, warning: true, warningRatio: 0.5 },
      });
      const [{ shards }] = await db.query(`SELECT count(*)::int AS shards FROM dingtalk_usage WHERE chat_configuration = $1`, [configuration]);
      expect(shards).toBeGreaterThan(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a month that is not YYYY-MM', async () => {
    await expect(new GetUsageUseCase(db, limits).execute({ month: '2026-1' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED', details: [{ field: 'month' }],
    });
  });
});
