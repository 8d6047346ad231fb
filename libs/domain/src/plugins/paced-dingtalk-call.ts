import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DingTalkApi } from '@dingrelay/dingtalk-client';
import { DingTalkUnavailableError, toDingTalkCallError } from '../dingtalk/dingtalk-call.errors.js';
import { AppPacer } from '../pacing/app-pacer.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits, pacedCallsPerSecond } from '../usage/dingtalk-limits.js';

/**
 * A DingTalk call made while an HTTP request waits: it takes the app's next slot on that API from the same pacer the
 * workers use (DingTalk limits calls per app per API, spec §8.1), so it never pushes the app over DingTalk's QPS.
 * When the next slot is further away than the pacer's inline wait, the caller is told to come back (503).
 */
@Injectable()
export class PacedDingTalkCall {
  constructor(
    private readonly pacer: AppPacer,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  async run<T>(appKey: string, api: DingTalkApi, operation: string, call: () => Promise<T>): Promise<T> {
    const slot = await this.pacer.reserve(appKey, api, pacedCallsPerSecond(this.limits), randomUUID());
    if (slot.held) throw new DingTalkUnavailableError(`The app's DingTalk calls are paced; ${operation} can run in ${slot.waitMs} ms`);
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    try {
      return await call();
    } catch (err) {
      throw toDingTalkCallError(err, operation);
    }
  }
}
