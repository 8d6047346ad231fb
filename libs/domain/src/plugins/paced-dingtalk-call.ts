import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DingTalkApi, DingTalkError } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import type { ChatConfigurationCredentials } from '../chat-configurations/chat-configuration.js';
import { DingTalkUnavailableError, toDingTalkCallError } from '../dingtalk/dingtalk-call.errors.js';
import { AppPacer } from '../pacing/app-pacer.js';
import { describeFollowUpFailure } from '../read-status/dingtalk-failure.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits, pacedCallsPerSecond } from '../usage/dingtalk-limits.js';
import { recordUsage } from '../usage/usage-meter.js';

/** The longest a throttled app's calls on one API are held back after DingTalk said so. */
const MAX_THROTTLE_HOLD_MS = 60_000;

/**
 * A DingTalk call made while an HTTP request waits: it takes the app's next slot on that API from the same pacer the
 * workers use (DingTalk limits calls per app per API, spec §8.1), so it never pushes the app over DingTalk's QPS;
 * when the next slot is further away than the pacer's inline wait, the caller is told to come back (503). Every call
 * is counted in the configuration's monthly usage like the workers' calls, and a throttled answer holds the app back.
 */
@Injectable()
export class PacedDingTalkCall {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pacer: AppPacer,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  /** Paces with the configuration's own limits where it has them (per-app pace settings), the deployment's otherwise. */
  async run<T>(config: ChatConfigurationCredentials, api: DingTalkApi, operation: string, call: () => Promise<T>): Promise<T> {
    const limits = config.limits ? { ...this.limits, ...config.limits } : this.limits;
    const slot = await this.pacer.reserve(config.appKey, api, pacedCallsPerSecond(limits), randomUUID());
    if (slot.held) {
      throw new DingTalkUnavailableError(`The app's DingTalk calls are paced; ${operation} can run in ${slot.waitMs} ms`, undefined, slot.waitMs);
    }
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    let result: T;
    try {
      result = await call();
    } catch (err) {
      if (err instanceof DingTalkError) {
        const failure = describeFollowUpFailure(err, 1, 0, MAX_THROTTLE_HOLD_MS);
        if (failure.throttled) await this.pacer.penalize(config.appKey, api, failure.holdMs);
        await recordUsage(this.dataSource.manager, config.name, { calls: 1, billableCalls: failure.billable ? 1 : 0, errors: 1 }, limits);
      }
      throw toDingTalkCallError(err, operation);
    }
    await recordUsage(this.dataSource.manager, config.name, { calls: 1, billableCalls: 1 }, limits);
    return result;
  }
}
