import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { handleAccessToken } from './access-token.handler.js';
import { ADMIN_PREFIX, handleAdmin, type SimulatorControl } from './admin.handler.js';
import { handleBatchSend } from './batch-send.handler.js';
import { handleBatchRecall } from './batch-recall.handler.js';
import { handleReadStatus } from './read-status.handler.js';
import { handlePluginsClear, handlePluginsQuery, handlePluginsSet } from './plugins.handler.js';
import { DingTalkError, dingTalkError } from './dingtalk-error.js';
import {
  BodyTooLargeError,
  newResponseIds,
  readBody,
  writeJson,
  type ResponseIds,
  type SimRequest,
  type SimResult,
} from './http-io.js';
import { type SimApiName } from './simulator-config.js';
import { type SimulatorState } from './simulator-state.js';

interface Route {
  api: SimApiName;
  handle(req: SimRequest, state: SimulatorState): SimResult;
}

/** Exact method + path, case-sensitive like DingTalk's gateway (`oToMessages` ≠ `otoMessages`, spec §1). */
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['POST /v1.0/oauth2/accessToken', { api: 'accessToken', handle: handleAccessToken }],
  ['POST /v1.0/robot/oToMessages/batchSend', { api: 'batchSend', handle: handleBatchSend }],
  ['POST /v1.0/robot/plugins/set', { api: 'pluginsSet', handle: handlePluginsSet }],
  ['POST /v1.0/robot/plugins/query', { api: 'pluginsQuery', handle: handlePluginsQuery }],
  ['POST /v1.0/robot/plugins/clear', { api: 'pluginsClear', handle: handlePluginsClear }],
  ['GET /v1.0/robot/oToMessages/readStatus', { api: 'readStatus', handle: handleReadStatus }],
  // Lower-case "oto": DingTalk's own spelling for recall (spec §1).
  ['POST /v1.0/robot/otoMessages/batchRecall', { api: 'batchRecall', handle: handleBatchRecall }],
]);

/** Far above any valid request (msgParam ≤ 15000 bytes by default); only guards memory. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The HTTP front: routing, body reading, error envelopes, latency and hangs. Handlers are synchronous and do only
 * map lookups and small allocations, so one process keeps up with benchmark load.
 */
export class SimulatorServer {
  private readonly server: Server;
  /** Responses deliberately not answered yet: hangs, and requests sleeping on injected latency. */
  private readonly held = new Set<ServerResponse>();
  private readonly sleepers = new Set<() => void>();
  private inProgress = 0;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly control: SimulatorControl) {
    this.server = createServer({ keepAlive: true }, (req, res) => void this.dispatch(req, res));
    // Longer than typical client keep-alive pools (agents default to ~4-5 s idle) so the server is never the side
    // that closes a socket a client is about to reuse.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops accepting, drops requests held open on purpose (hangs, pending latency), lets the others finish (up to
   * `graceMs`), then drops every socket, including idle keep-alive ones and ones a client opened but never used.
   */
  close(graceMs = 1000): Promise<void> {
    this.closing ??= this.shutdown(graceMs);
    return this.closing;
  }

  private async shutdown(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.held) res.destroy();
    this.held.clear();
    for (const wake of [...this.sleepers]) wake();
    if (this.inProgress > 0) {
      await new Promise<void>((resolve) => {
        const grace = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(grace);
          resolve();
        };
      });
    }
    this.server.closeAllConnections();
    await closed;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inProgress++;
    try {
      await this.process(req, res);
    } finally {
      this.inProgress--;
      if (this.inProgress === 0) this.drained?.();
    }
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ids = newResponseIds();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? 'GET';
    const isAdmin = path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
    const { state } = this.control;
    const stats = state.stats;
    const route = isAdmin ? undefined : ROUTES.get(`${method} ${path}`);
    if (!isAdmin) {
      stats.requests++;
      stats.inFlight++;
      if (stats.inFlight > stats.peakInFlight) stats.peakInFlight = stats.inFlight;
      if (route) stats.api[route.api].calls++;
    }

    let result: SimResult;
    try {
      const body = await readBody(req, MAX_BODY_BYTES);
      const simReq: SimRequest = {
        method,
        path,
        query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
        headers: req.headers,
        body,
      };
      if (isAdmin) result = handleAdmin(simReq, this.control);
      else if (route) result = route.handle(simReq, state);
      else throw dingTalkError('InvalidAction.NotFound');
    } catch (err) {
      result = this.errorResult(err, isAdmin, ids);
    }
    if (isAdmin) return this.respond(res, result, ids);

    if (route) {
      const apiStats = stats.api[route.api];
      if ('hang' in result) apiStats.hung++;
      else if (result.status === 200) apiStats.succeeded++;
      else apiStats.failed++;
      const delay = state.faults.latencyMs(route.api);
      if (delay > 0) {
        this.held.add(res);
        await this.sleep(delay);
        this.held.delete(res);
      }
    }
    stats.inFlight--;
    this.respond(res, result, ids);
  }

  private respond(res: ServerResponse, result: SimResult, ids: ResponseIds): void {
    if ('hang' in result) {
      // The socket stays open until the client gives up or close() drops it.
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    if (res.destroyed) return;
    writeJson(res, result.status, result.body, ids);
  }

  private errorResult(err: unknown, isAdmin: boolean, ids: ResponseIds): SimResult {
    let error: DingTalkError;
    if (err instanceof DingTalkError) error = err;
    else if (err instanceof BodyTooLargeError) error = new DingTalkError(413, 'sim.bodyTooLarge', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    // A bug in the simulator must still answer in DingTalk's shape, with the cause visible to whoever reads it.
    else error = dingTalkError('system.error', `simulator failure: ${err instanceof Error ? err.message : String(err)}`);
    if (!isAdmin) this.control.state.stats.countError(error.code, error.injected);
    return { status: error.status, body: { code: error.code, message: error.message, requestid: ids.requestId } };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
