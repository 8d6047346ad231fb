import { join } from 'node:path';
import { buildApp, REPO_ROOT, startBuiltApp } from './app-build.js';
import type { ManagedProcess } from './managed-process.js';

/** The built worker's entry point, as production runs it. */
export const WORKER_MAIN = join(REPO_ROOT, 'apps/worker/dist/main.js');

/** What main.ts logs once the worker's processors and reconciler are running and its ops port listens. */
const WORKER_READY = /dingrelay worker ready/;
const WORKER_OPS_URL = /dingrelay worker ready.*ops at (http:\/\/[^\s)"]+)/;

/** Read from each started worker's ready line (kept here: its output buffer keeps only the last lines). */
const opsUrls = new WeakMap<ManagedProcess, string>();

/** Builds the worker app and the libs it references (once per test process); resolves with its entry point. */
export function buildWorkerApp(timeoutMs?: number): Promise<string> {
  return buildApp('apps/worker/tsconfig.build.json', 'apps/worker/dist/main.js', timeoutMs);
}

export interface WorkerProcessOptions {
  /** Shown in failure messages, e.g. `worker #2`. */
  name: string;
  /** The worker's configuration (see apps/worker/src/worker.config.ts); added to this process's environment. */
  env: Record<string, string>;
  /** How long start-up (migrations, Redis check) may take on a busy machine. */
  readyTimeoutMs?: number;
  /** Output lines kept for `linesMatching` and failure messages (default 200); a test reading every line raises it. */
  keepLines?: number;
}

/**
 * Starts `node apps/worker/dist/main.js` as a separate OS process and resolves once it logged that it is ready.
 * Call `buildWorkerApp` first. Rejects with the worker's own output if it exits or stays silent.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<ManagedProcess> {
  let opsUrl: string | undefined;
  const worker = await startBuiltApp(
    {
      name: options.name,
      main: WORKER_MAIN,
      // A free ops port, so workers of concurrent suites (and several in one test) never collide on the default one.
      env: { WORKER_HTTP_PORT: '0', WORKER_HTTP_HOST: '127.0.0.1', ...options.env },
      keepLines: options.keepLines,
    },
    async (started) => {
      const ready = await started.waitForLine(WORKER_READY, options.readyTimeoutMs ?? 60_000);
      opsUrl = WORKER_OPS_URL.exec(ready)?.[1]?.replace('[::1]', '127.0.0.1');
    },
  );
  if (opsUrl) opsUrls.set(worker, opsUrl);
  return worker;
}

/** The base URL of a worker's ops port (health, metrics), for workers started with `startWorkerProcess`. */
export function workerOpsUrl(worker: ManagedProcess): string {
  const url = opsUrls.get(worker);
  if (!url) throw new Error(`${worker.name} logged no ops URL in its ready line; its output:\n${worker.output()}`);
  return url;
}
