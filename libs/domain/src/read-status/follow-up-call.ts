import { Inject, Injectable } from '@nestjs/common';
import { type DingTalkApi, type DingTalkAppCredentials, DingTalkClient, isDingTalkError } from '@dingrelay/dingtalk-client';
import { AppPacer } from '../pacing/app-pacer.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits, pacedCallsPerSecond } from '../usage/dingtalk-limits.js';
import { describeFollowUpFailure, type FollowUpFailure } from './dingtalk-failure.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from './read-tracking.settings.js';

/** The longest wait before retrying a failed readStatus or batchRecall. */
const MAX_RETRY_DELAY_MS = 5 * 60_000;

export type FollowUpCallResult<T> = { ok: true; result: T } | { ok: false; failure: FollowUpFailure & { delayMs: number } };

/**
 * One readStatus or batchRecall call of the worker's scanners: it waits for the caller's turn in the app's pace on the
 * API (scanners have no queue to hand a job back to, so a far slot is slept through; the slot stays reserved for this
 * caller either way, so the app's pace holds across every worker), and a DingTalk failure comes back described, with
 * the app held back on that API when DingTalk throttled it. Anything else (a bug) is thrown.
 */
@Injectable()
export class FollowUpCall {
  constructor(
    private readonly client: DingTalkClient,
    private readonly pacer: AppPacer,
    @Inject(READ_TRACKING_SETTINGS) private readonly settings: ReadTrackingSettings,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  async run<T>(
    app: DingTalkAppCredentials,
    api: DingTalkApi,
    /** Holds the pace slot; the same id reserves the same slot again. */
    holderId: string,
    /** 1 for the first try: the retry delay grows with it. */
    attempt: number,
    call: (client: DingTalkClient, app: DingTalkAppCredentials) => Promise<T>,
  ): Promise<FollowUpCallResult<T>> {
    const slot = await this.pacer.reserve(app.appKey, api, pacedCallsPerSecond(this.limits), holderId);
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    try {
      return { ok: true, result: await call(this.client, { appKey: app.appKey, appSecret: app.appSecret }) };
    } catch (error) {
      if (!isDingTalkError(error)) throw error;
      const failure = describeFollowUpFailure(error, attempt, this.settings.retryBaseDelayMs, MAX_RETRY_DELAY_MS);
      if (failure.throttled) await this.pacer.penalize(app.appKey, api, failure.holdMs);
      return { ok: false, failure };
    }
  }
}
