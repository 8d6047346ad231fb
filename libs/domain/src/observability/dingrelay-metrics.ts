import { Injectable } from '@nestjs/common';
import type { DingTalkCallEvent, DingTalkClientObserver, DingTalkTokenFetchEvent } from '@dingrelay/dingtalk-client';
import { Counter, Histogram, Registry } from 'prom-client';

/** Seconds; DingTalk answers in tens of milliseconds to seconds, the client gives up at DINGTALK_TIMEOUT_MS. */
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds; a pace slot is usually a fraction of a second away, a backlog or a throttled app's minutes. */
const PACE_BUCKETS = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300];

/**
 * The counters and histograms the code records into as things happen (the gauges are read at scrape time by the
 * collectors). Recording is synchronous and in memory only: it never awaits and never touches Postgres or Redis.
 */
@Injectable()
export class DingrelayMetrics {
  readonly dingTalkCalls: Counter<'api' | 'app' | 'outcome' | 'code'>;
  readonly dingTalkCallDuration: Histogram<'api'>;
  readonly tokenFetches: Counter<'app' | 'outcome'>;
  readonly deliveryRetries: Counter<'reason'>;
  readonly paceWait: Histogram<'app' | 'api'>;
  readonly recipientsSettled: Counter<'status'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly collectErrors: Counter<'collector'>;

  /** For DingTalkClientOptions.observer: one event per HTTP attempt and per token fetch. */
  readonly dingTalkObserver: DingTalkClientObserver = {
    onCall: (event) => this.recordCall(event),
    onTokenFetch: (event) => this.recordTokenFetch(event),
  };

  constructor(registry: Registry) {
    const registers = [registry];
    this.dingTalkCalls = new Counter({
      name: 'dingrelay_dingtalk_calls_total',
      help: 'DingTalk HTTP attempts by API, app (appKey), outcome (ok, api-error, transport-error, request-error) and code',
      labelNames: ['api', 'app', 'outcome', 'code'],
      registers,
    });
    this.dingTalkCallDuration = new Histogram({
      name: 'dingrelay_dingtalk_call_duration_seconds',
      help: 'Time from sending a DingTalk request to its answer (pace waits not included)',
      labelNames: ['api'],
      buckets: CALL_BUCKETS,
      registers,
    });
    this.tokenFetches = new Counter({
      name: 'dingrelay_token_fetches_total',
      help: 'Access-token fetches this process made (tokens found in the shared cache are not fetches)',
      labelNames: ['app', 'outcome'],
      registers,
    });
    this.deliveryRetries = new Counter({
      name: 'dingrelay_delivery_retries_total',
      help: 'Batch deliveries scheduled again, by retry class (qps-throttle, transient, ambiguous, …), flow-control re-sends, or job-error',
      labelNames: ['reason'],
      registers,
    });
    this.paceWait = new Histogram({
      name: 'dingrelay_pace_wait_seconds',
      help: "Wait for the app's shared pace slot per reservation, by app (appKey) and DingTalk API",
      labelNames: ['app', 'api'],
      buckets: PACE_BUCKETS,
      registers,
    });
    this.recipientsSettled = new Counter({
      name: 'dingrelay_recipients_settled_total',
      help: 'Recipients this process brought to a final status (delivered, invalid, failed, unknown, cancelled)',
      labelNames: ['status'],
      registers,
    });
    this.httpRequests = new Counter({
      name: 'dingrelay_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.collectErrors = new Counter({
      name: 'dingrelay_metrics_collect_errors_total',
      help: 'Scrape-time reads (Postgres, Redis) that failed or timed out; their gauges are left out of that scrape',
      labelNames: ['collector'],
      registers,
    });
  }

  recipientsSettledBy(counts: Readonly<Partial<Record<string, number>>>): void {
    for (const [status, n] of Object.entries(counts)) if (n && n > 0) this.recipientsSettled.inc({ status }, n);
  }

  retryScheduled(reason: string, n = 1): void {
    if (n > 0) this.deliveryRetries.inc({ reason }, n);
  }

  paceWaited(app: string, api: string, waitMs: number): void {
    this.paceWait.observe({ app, api }, Math.max(0, waitMs) / 1000);
  }

  private recordCall(event: DingTalkCallEvent): void {
    const code = event.outcome === 'ok' ? 'ok' : (event.code ?? (event.httpStatus ? `http.${event.httpStatus}` : event.outcome));
    this.dingTalkCalls.inc({ api: event.api, app: event.appKey, outcome: event.outcome, code });
    this.dingTalkCallDuration.observe({ api: event.api }, event.durationMs / 1000);
  }

  private recordTokenFetch(event: DingTalkTokenFetchEvent): void {
    this.tokenFetches.inc({ app: event.appKey, outcome: event.outcome });
  }
}
