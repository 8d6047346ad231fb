import { type DingTalkError, dingTalkError } from './dingtalk-error.js';
import { SeededRandom } from './prng.js';
import { type ResolvedFaults, type ScriptedFault, type SimApiName } from './simulator-config.js';
import { SlidingWindowCounter } from './sliding-window.js';

/** What a fault switch decided: answer with this error, or never answer at all. */
export type FaultOutcome = { kind: 'error'; error: DingTalkError } | { kind: 'hang' };

export interface FaultCall {
  api: SimApiName;
  appKey: string;
}

interface PendingScript {
  fault: ScriptedFault;
  remaining: number;
}

/**
 * DingTalk's bad days, decided per call: per-app QPS cap, monthly quota, scripted one-shot faults, and seeded
 * random errors, hangs and latency. Handlers ask it at two points: before doing anything (`beforeCall`) and
 * after the side effect happened (`afterSideEffect`), the latter producing the ambiguous "delivered but the caller
 * never learned it" outcomes. Keeping all of it here means the handlers stay a faithful model of the happy and
 * validation paths.
 */
export class FaultPolicy {
  private settings: ResolvedFaults;
  private rng: SeededRandom;
  private script: PendingScript[] = [];
  private readonly qpsWindows = new Map<string, SlidingWindowCounter>();
  private readonly quotaUsed = new Map<string, number>();

  constructor(
    settings: ResolvedFaults,
    private readonly now: () => number,
  ) {
    this.settings = settings;
    this.rng = new SeededRandom(settings.seed);
    this.inject(settings.script);
  }

  /** Replaces the switches; the PRNG restarts from the (new or fresh random) seed, counters and script reset. */
  reconfigure(settings: ResolvedFaults): void {
    this.settings = settings;
    this.rng = new SeededRandom(settings.seed);
    this.script = [];
    this.qpsWindows.clear();
    this.quotaUsed.clear();
    this.inject(settings.script);
  }

  /** Appends scripted faults to the queue. */
  inject(faults: readonly ScriptedFault[]): void {
    for (const fault of faults) this.script.push({ fault, remaining: fault.times ?? 1 });
  }

  get seed(): number {
    return this.rng.seed;
  }

  /** The shared PRNG, so seeded flow control draws from the same reproducible sequence. */
  get random(): SeededRandom {
    return this.rng;
  }

  get pendingScript(): number {
    return this.script.reduce((n, s) => n + s.remaining, 0);
  }

  quotaUsage(): Record<string, number> {
    return Object.fromEntries(this.quotaUsed);
  }

  beforeCall(call: FaultCall): FaultOutcome | undefined {
    const s = this.settings;
    const applies = s.apis.includes(call.api);
    if (applies && s.qpsLimitPerApp > 0) {
      const key = `${call.api}\u0000${call.appKey}`;
      let window = this.qpsWindows.get(key);
      if (!window) {
        window = new SlidingWindowCounter(1000);
        this.qpsWindows.set(key, window);
      }
      const now = this.now();
      // Throttled calls are not admitted into the window, like a limiter that only counts what it let through.
      if (window.count(now) >= s.qpsLimitPerApp) return this.error('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
      window.record(now);
    }
    // Token APIs are exempt from the monthly quota, and QPS-throttled calls are not charged (spec §8.1).
    if (applies && s.monthlyQuotaPerApp > 0 && call.api !== 'accessToken') {
      const used = this.quotaUsed.get(call.appKey) ?? 0;
      if (used >= s.monthlyQuotaPerApp) return this.error('Forbidden.AccessDenied.ApiCountLimitForOrg');
      this.quotaUsed.set(call.appKey, used + 1);
    }
    const scripted = this.takeScripted(call.api, false);
    if (scripted) return scripted;
    if (!applies) return undefined;
    if (this.rng.chance(s.hangRate)) return { kind: 'hang' };
    if (this.rng.chance(s.systemBusyRate)) return this.error('system.busy');
    if (this.rng.chance(s.systemErrorRate)) return this.error('system.error');
    if (call.api === 'batchSend' && this.rng.chance(s.sendTooFastRate)) return this.error('send.too.fast');
    return undefined;
  }

  afterSideEffect(call: FaultCall): FaultOutcome | undefined {
    const scripted = this.takeScripted(call.api, true);
    if (scripted) return scripted;
    if (!this.settings.apis.includes(call.api)) return undefined;
    if (this.rng.chance(this.settings.hangAfterDeliveryRate)) return { kind: 'hang' };
    if (this.rng.chance(this.settings.errorAfterDeliveryRate)) return this.error('system.error');
    return undefined;
  }

  /** Extra response delay for a call of this API, in ms. */
  latencyMs(api: SimApiName): number {
    const { min, max } = this.settings.latencyMs;
    if (max <= 0 || !this.settings.apis.includes(api)) return 0;
    return this.rng.between(min, max);
  }

  private takeScripted(api: SimApiName, afterSideEffect: boolean): FaultOutcome | undefined {
    // Only the first script entry for this API is eligible, so scripted faults fire strictly in order.
    const index = this.script.findIndex((p) => (p.fault.api ?? 'batchSend') === api);
    if (index < 0) return undefined;
    const pending = this.script[index]!;
    if ((pending.fault.afterDelivery ?? false) !== afterSideEffect) return undefined;
    pending.remaining--;
    if (pending.remaining <= 0) this.script.splice(index, 1);
    if (pending.fault.hang) return { kind: 'hang' };
    const code = pending.fault.code ?? 'system.error';
    return { kind: 'error', error: dingTalkError(code, pending.fault.message, pending.fault.status, true) };
  }

  private error(code: string): FaultOutcome {
    return { kind: 'error', error: dingTalkError(code, undefined, undefined, true) };
  }
}
