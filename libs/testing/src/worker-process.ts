import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, ManagedProcess } from './managed-process.js';
import { testSecretEncryptionKeys } from './test-secrets.js';

/** The repository root (this file is libs/testing/src/… or libs/testing/dist/…). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The built worker's entry point, as production runs it. */
export const WORKER_MAIN = join(REPO_ROOT, 'apps/worker/dist/main.js');

/** What main.ts logs once the worker's processors and reconciler are running. */
const WORKER_READY = /dingrelay worker ready/;

/**
 * Preloaded into each worker process: when the test process dies without stopping it (jest killed, a crash), the
 * IPC channel closes and the worker stops itself instead of living on as an orphan that keeps taking jobs.
 */
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent(
  "if(process.channel){process.once('disconnect',()=>process.kill(process.pid,'SIGTERM'));process.channel.unref();}",
)}`;

let build: Promise<string> | undefined;

/**
 * Builds the worker app and the libs it references (`tsc -b apps/worker/tsconfig.build.json`, incremental: about a
 * second when nothing changed) once per test process, and returns the path of its entry point. Tests elsewhere run
 * the libs from source; only processes started from here use `dist`. Two builds of the same tree at once write the
 * same files, so callers that may run concurrently with another copy of themselves should build under a lock.
 */
export function buildWorkerApp(timeoutMs = 180_000): Promise<string> {
  build ??= (async () => {
    const tsc = new ManagedProcess({
      name: 'tsc -b apps/worker/tsconfig.build.json',
      command: process.execPath,
      args: [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'apps/worker/tsconfig.build.json'],
      cwd: REPO_ROOT,
      keepLines: 80,
    });
    const timer = setTimeout(() => tsc.signal('SIGKILL'), timeoutMs);
    const exit = await tsc.exited.finally(() => clearTimeout(timer));
    if (exit.code !== 0) {
      throw new Error(`Building the worker app failed (${describeExit(exit)}); tsc said:\n${tsc.output(80)}`);
    }
    if (!existsSync(WORKER_MAIN)) throw new Error(`The worker build produced no ${WORKER_MAIN}`);
    return WORKER_MAIN;
  })();
  build.catch(() => (build = undefined));
  return build;
}

export interface WorkerProcessOptions {
  /** Shown in failure messages, e.g. `worker #2`. */
  name: string;
  /** The worker's configuration (see apps/worker/src/worker.config.ts); added to this process's environment. */
  env: Record<string, string>;
  /** How long start-up (migrations, Redis check) may take on a busy machine. */
  readyTimeoutMs?: number;
}

/**
 * Starts `node apps/worker/dist/main.js` as a separate OS process and resolves once it logged that it is ready.
 * Call `buildWorkerApp` first. Rejects with the worker's own output if it exits or stays silent.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<ManagedProcess> {
  const worker = new ManagedProcess({
    name: options.name,
    command: process.execPath,
    args: ['--import', EXIT_WITH_PARENT, WORKER_MAIN],
    cwd: REPO_ROOT,
    // The test process's own key, so the worker can read configurations this process wrote.
    env: { ...process.env, NO_COLOR: '1', SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(), ...options.env },
    ipc: true,
  });
  try {
    await worker.waitForLine(WORKER_READY, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}
