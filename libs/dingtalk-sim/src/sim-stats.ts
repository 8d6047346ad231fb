import { SlidingWindowCounter } from './sliding-window.js';
import { type SimApiName } from './simulator-config.js';

export interface ApiCallStats {
  /** Requests routed to this API (before auth or validation). */
  calls: number;
  /** Answered 200. */
  succeeded: number;
  /** Answered with an error envelope (validation, auth or injected fault). */
  failed: number;
  /** Never answered on purpose (hang faults). */
  hung: number;
}

export interface SimStatsSnapshot {
  startedAt: string;
  /** Every HTTP request, admin endpoints excluded. */
  requests: number;
  inFlight: number;
  peakInFlight: number;
  accessToken: ApiCallStats & { issued: number; renewed: number };
  /** Tokens handed out (issued or renewed) per app: a sender caching one token per app asks once per app. */
  accessTokensByApp: Record<string, number>;
  batchSend: ApiCallStats & {
    /** Recipients named in accepted calls (after de-duplicating within a call). */
    recipients: number;
    delivered: number;
    invalid: number;
    flowControlled: number;
    filtered: number;
    /** userIds repeated inside one call (DingTalk delivers once; a sender doing this has a bug). */
    repeatedUserIdsInCall: number;
  };
  /** readStatus calls (spec §4). */
  readStatus: ApiCallStats;
  /** batchRecall calls (spec §5) and the keys they recalled or failed. */
  batchRecall: ApiCallStats & { keysRecalled: number; keysFailed: number };
  /** Calls of the quick-entry APIs (spec §6). */
  plugins: { set: ApiCallStats; query: ApiCallStats; clear: ApiCallStats };
  /** Error responses by DingTalk code, injected faults included. */
  errorsByCode: Record<string, number>;
  /** Errors that fault switches injected (subset of errorsByCode), by code. */
  faultsInjected: Record<string, number>;
  /** Highest number of batchSend calls per app within any sliding 1 s window: the pacing a sender achieved. */
  peakBatchSendPerSecondByApp: Record<string, number>;
  /** Counted calls per app towards the monthly quota. */
  quotaUsedByApp: Record<string, number>;
  /** Seed of the PRNG currently driving random faults and flow control. */
  faultSeed: number;
}

function emptyApi(): ApiCallStats {
  return { calls: 0, succeeded: 0, failed: 0, hung: 0 };
}

/** Counters only (cheap increments on the hot path); the snapshot is assembled on demand. */
export class SimStats {
  startedAt = Date.now();
  requests = 0;
  inFlight = 0;
  peakInFlight = 0;
  readonly api: Record<SimApiName, ApiCallStats> = {
    accessToken: emptyApi(),
    batchSend: emptyApi(),
    pluginsSet: emptyApi(),
    pluginsQuery: emptyApi(),
    pluginsClear: emptyApi(),
    readStatus: emptyApi(),
    batchRecall: emptyApi(),
  };
  keysRecalled = 0;
  keysRecallFailed = 0;
  tokensIssued = 0;
  tokensRenewed = 0;
  readonly tokensByApp = new Map<string, number>();
  recipients = 0;
  delivered = 0;
  invalid = 0;
  flowControlled = 0;
  filtered = 0;
  repeatedUserIdsInCall = 0;
  readonly errorsByCode = new Map<string, number>();
  readonly faultsInjected = new Map<string, number>();
  readonly batchSendWindows = new Map<string, SlidingWindowCounter>();

  constructor(private readonly now: () => number) {}

  countError(code: string, injected: boolean): void {
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
    if (injected) this.faultsInjected.set(code, (this.faultsInjected.get(code) ?? 0) + 1);
  }

  /** Records a batchSend call of an app and returns its calls in the trailing second (including this one). */
  recordBatchSendRate(appKey: string): number {
    let window = this.batchSendWindows.get(appKey);
    if (!window) {
      window = new SlidingWindowCounter(1000);
      this.batchSendWindows.set(appKey, window);
    }
    return window.record(this.now());
  }

  snapshot(quotaUsedByApp: Record<string, number>, faultSeed: number): SimStatsSnapshot {
    const peaks: Record<string, number> = {};
    for (const [appKey, window] of this.batchSendWindows) peaks[appKey] = window.peak;
    return {
      startedAt: new Date(this.startedAt).toISOString(),
      requests: this.requests,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      accessToken: { ...this.api.accessToken, issued: this.tokensIssued, renewed: this.tokensRenewed },
      accessTokensByApp: Object.fromEntries(this.tokensByApp),
      batchSend: {
        ...this.api.batchSend,
        recipients: this.recipients,
        delivered: this.delivered,
        invalid: this.invalid,
        flowControlled: this.flowControlled,
        filtered: this.filtered,
        repeatedUserIdsInCall: this.repeatedUserIdsInCall,
      },
      readStatus: { ...this.api.readStatus },
      batchRecall: { ...this.api.batchRecall, keysRecalled: this.keysRecalled, keysFailed: this.keysRecallFailed },
      plugins: { set: { ...this.api.pluginsSet }, query: { ...this.api.pluginsQuery }, clear: { ...this.api.pluginsClear } },
      errorsByCode: Object.fromEntries(this.errorsByCode),
      faultsInjected: Object.fromEntries(this.faultsInjected),
      peakBatchSendPerSecondByApp: peaks,
      quotaUsedByApp,
      faultSeed,
    };
  }
}
