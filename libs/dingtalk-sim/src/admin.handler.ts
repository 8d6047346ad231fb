import { DingTalkError } from './dingtalk-error.js';
import { isPlainObject, parseJsonBody, type SimRequest, type SimResult } from './http-io.js';
import { type LedgerFilter } from './ledger.js';
import { handleMessageAdmin } from './message-controls.js';
import { describeSettings, SimConfigError } from './simulator-config.js';
import { type SimulatorState } from './simulator-state.js';
import { type SimStatsSnapshot } from './sim-stats.js';

/** Prefix of the simulator's own endpoints; DingTalk has no `/__sim` paths, so they can't shadow a real API. */
export const ADMIN_PREFIX = '/__sim';

/** The operations the admin endpoints need from the simulator (implemented by `startDingTalkSimulator`). */
export interface SimulatorControl {
  readonly state: SimulatorState;
  stats(): SimStatsSnapshot;
  configure(patch: unknown): void;
  reset(): void;
  expireAllTokens(appKey?: string): number;
  injectFault(...faults: unknown[]): void;
}

const DEFAULT_PAGE = 1000;
const MAX_PAGE = 100_000;

/**
 * Read-only inspection (ledger, stats, config) and test controls (reset, configure, expire tokens, inject faults)
 * over HTTP, so tests driving other processes can assert who received what.
 */
export function handleAdmin(req: SimRequest, control: SimulatorControl): SimResult {
  const route = `${req.method} ${req.path.slice(ADMIN_PREFIX.length)}`;
  const { ledger } = control.state;
  const q = req.query;
  switch (route) {
    case 'GET /health':
      return ok({ status: 'ok' });
    case 'GET /ledger':
      return ok({ ...page(q), ...ledger.deliveries(ledgerFilter(q), page(q)) });
    case 'GET /ledger/summary':
      return ok(ledger.summary());
    case 'GET /ledger/duplicates':
      return ok({ duplicates: ledger.duplicates(intParam(q, 'limit') ?? MAX_PAGE) });
    case 'GET /ledger/counts': {
      const userIds = q.getAll('userId');
      if (userIds.length === 0) throw badRequest('userId query parameter is required (repeatable)');
      return ok({ counts: Object.fromEntries(userIds.map((u) => [u, ledger.countFor(u)])) });
    }
    case 'GET /ledger/calls': {
      const pqk = q.get('processQueryKey');
      if (pqk !== null) {
        const call = ledger.call(pqk);
        if (!call) throw new DingTalkError(404, 'sim.notFound', `no accepted call with processQueryKey ${pqk}`);
        return ok(call);
      }
      const { offset, limit } = page(q);
      const calls = ledger.allCalls();
      return ok({ total: calls.length, offset, limit, calls: calls.slice(offset, offset + limit) });
    }
    case 'GET /plugins': {
      const robotCode = q.get('robotCode');
      if (robotCode === null) throw badRequest('robotCode query parameter is required');
      return ok({ robotCode, pluginInfoList: control.state.plugins.get(robotCode) });
    }
    case 'POST /messages/read':
    case 'POST /messages/age':
    case 'POST /messages/recall-failure':
    case 'GET /messages/recalls':
    case 'GET /messages/read-status-calls':
      return handleMessageAdmin(route, req.body.length > 0 ? jsonBody(req) : {}, control.state);
    case 'GET /stats':
      return ok(control.stats());
    case 'GET /config':
      return ok(describeSettings(control.state.settings));
    case 'POST /config':
      return withConfigErrors(() => {
        control.configure(jsonBody(req));
        return ok(describeSettings(control.state.settings));
      });
    case 'POST /reset':
      control.reset();
      return ok({ status: 'ok' });
    case 'POST /tokens/expire': {
      const body = req.body.length > 0 ? jsonBody(req) : {};
      const appKey = isPlainObject(body) && typeof body.appKey === 'string' ? body.appKey : undefined;
      return ok({ expired: control.expireAllTokens(appKey) });
    }
    case 'POST /faults/inject':
      return withConfigErrors(() => {
        const body = jsonBody(req);
        control.injectFault(...(Array.isArray(body) ? body : [body]));
        return ok({ pending: control.state.faults.pendingScript });
      });
    default:
      throw new DingTalkError(404, 'sim.notFound', `unknown simulator endpoint ${req.method} ${req.path}`);
  }
}

function ok(body: unknown): SimResult {
  return { status: 200, body };
}

function badRequest(message: string): DingTalkError {
  return new DingTalkError(400, 'sim.invalidRequest', message);
}

function withConfigErrors(fn: () => SimResult): SimResult {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SimConfigError) throw badRequest(err.message);
    throw err;
  }
}

function jsonBody(req: SimRequest): unknown {
  const body = parseJsonBody(req.body);
  if (body === undefined) throw badRequest('expected a JSON body');
  return body;
}

function ledgerFilter(q: URLSearchParams): LedgerFilter {
  const filter: LedgerFilter = {};
  for (const key of ['userId', 'processQueryKey', 'fingerprint', 'msgKey', 'robotCode'] as const) {
    const value = q.get(key);
    if (value !== null) filter[key] = value;
  }
  return filter;
}

function page(q: URLSearchParams): { offset: number; limit: number } {
  return { offset: intParam(q, 'offset') ?? 0, limit: Math.min(intParam(q, 'limit') ?? DEFAULT_PAGE, MAX_PAGE) };
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`${name} must be a non-negative integer`);
  return n;
}
