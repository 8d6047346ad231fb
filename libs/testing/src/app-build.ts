import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, ManagedProcess } from './managed-process.js';
import { testSecretEncryptionKeys } from './test-secrets.js';

/** The repository root (this file is libs/testing/src/… or libs/testing/dist/…). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Preloaded into each app process: when the test process dies without stopping it (jest killed, a crash), the
 * IPC channel closes and the app stops itself instead of living on as an orphan that keeps taking jobs.
 */
export const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent(
  "if(process.channel){process.once('disconnect',()=>process.kill(process.pid,'SIGTERM'));process.channel.unref();}",
)}`;

const builds = new Map<string, Promise<string>>();

/**
 * `tsc -b <tsconfig>` (incremental: about a second when nothing changed) once per test process and project, for
 * suites that run a built app as its own process (the API, the worker, the CLI); resolves with the path of `entry`.
 * Tests elsewhere run the libs from source; only processes started from a build use `dist`. Concurrent builds of the
 * same tree write the same files.
 */
export function buildApp(tsconfig: string, entry: string, timeoutMs = 180_000): Promise<string> {
  let build = builds.get(tsconfig);
  if (!build) {
    build = (async () => {
      const tsc = new ManagedProcess({
        name: `tsc -b ${tsconfig}`,
        command: process.execPath,
        args: [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', tsconfig],
        cwd: REPO_ROOT,
        keepLines: 80,
      });
      const exit = await tsc.exitWithin(timeoutMs);
      if (exit.code !== 0) throw new Error(`tsc -b ${tsconfig} failed (${describeExit(exit)}):\n${tsc.output(80)}`);
      const path = join(REPO_ROOT, entry);
      if (!existsSync(path)) throw new Error(`tsc -b ${tsconfig} produced no ${entry}`);
      return path;
    })();
    builds.set(tsconfig, build);
    build.catch(() => builds.delete(tsconfig));
  }
  return build;
}

export interface BuiltAppOptions {
  /** Shown in failure messages, e.g. `worker #2`. */
  name: string;
  /** The built entry point (an absolute path under REPO_ROOT). */
  main: string;
  /** The app's configuration; added to this process's environment, over the test defaults. */
  env: Record<string, string>;
  /** Output lines kept for `linesMatching` and failure messages (default 200). */
  keepLines?: number;
}

/**
 * Starts a built app (`node <main>`) as its own OS process, as production runs it, and resolves once `ready` says
 * it is up; if `ready` rejects (the app exited, or stayed silent), kills it and rejects with that error. It gets the
 * test process's secret encryption key, so it reads configurations this process wrote, and exits with its parent.
 */
export async function startBuiltApp(options: BuiltAppOptions, ready: (app: ManagedProcess) => Promise<void>): Promise<ManagedProcess> {
  const app = new ManagedProcess({
    name: options.name,
    command: process.execPath,
    args: ['--import', EXIT_WITH_PARENT, options.main],
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(), ...options.env },
    ipc: true,
    keepLines: options.keepLines,
  });
  try {
    await ready(app);
  } catch (error) {
    await app.kill();
    throw error;
  }
  return app;
}
