import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, ManagedProcess } from './managed-process.js';
import { testRuntimeUrl } from './test-database.js';
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

/** The console's build (vite): what the API serves at /console when CONSOLE_DIR points here. */
export const CONSOLE_DIST = join(REPO_ROOT, 'apps/console/dist');
/** Written into the build by `buildConsole`: the hash of the sources it was built from. */
const CONSOLE_STAMP = join(CONSOLE_DIST, '.sources-sha256');
/** What `vite build` reads: the console, the contracts it bundles from source, and the installed packages. */
const CONSOLE_INPUTS = ['apps/console/src', 'apps/console/public', 'apps/console/index.html', 'apps/console/vite.config.ts', 'apps/console/package.json', 'libs/contracts/src', 'package-lock.json'];

let consoleBuild: Promise<string> | undefined;

/**
 * `npm run -s build:console` (vite build into apps/console/dist) once per test process, for suites whose API serves
 * the console; resolves with the build's folder. Suites in other jest workers (or test files) share the build: it is
 * skipped when the build on disk was made from the same sources, and a lock lets one process build while the others
 * wait, so no suite's API ever serves a folder that another one is emptying.
 */
export function buildConsole(timeoutMs = 180_000): Promise<string> {
  consoleBuild ??= buildConsoleOnce(timeoutMs);
  consoleBuild.catch(() => (consoleBuild = undefined));
  return consoleBuild;
}

async function buildConsoleOnce(timeoutMs: number): Promise<string> {
  // Names how it was built too, so a build made otherwise (another NODE_ENV) is never taken for this one.
  const sources = `NODE_ENV=production ${await hashFiles(CONSOLE_INPUTS)}`;
  const upToDate = async () => existsSync(join(CONSOLE_DIST, 'index.html')) && (await readFile(CONSOLE_STAMP, 'utf8').catch(() => '')) === sources;
  if (await upToDate()) return CONSOLE_DIST;
  const release = await lock(join(tmpdir(), `dingrelay-console-build-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`), timeoutMs);
  try {
    if (await upToDate()) return CONSOLE_DIST; // another process built it while this one waited
    const vite = new ManagedProcess({
      name: 'npm run build:console',
      command: 'npm',
      args: ['run', '-s', 'build:console'],
      cwd: REPO_ROOT,
      // jest sets NODE_ENV=test, which vite would bake into the bundle: React and antd in development mode (slower,
      // with warnings production never logs). The tests are of what users get.
      env: { ...process.env, NODE_ENV: 'production' },
      keepLines: 80,
    });
    const exit = await vite.exitWithin(timeoutMs);
    if (exit.code !== 0) throw new Error(`npm run build:console failed (${describeExit(exit)}):\n${vite.output(80)}`);
    if (!existsSync(join(CONSOLE_DIST, 'index.html'))) throw new Error(`npm run build:console produced no ${relative(REPO_ROOT, CONSOLE_DIST)}/index.html`);
    await writeFile(CONSOLE_STAMP, sources);
    return CONSOLE_DIST;
  } finally {
    await release();
  }
}

/** One hash over the paths and contents of every file under `paths` (relative to the repository). */
async function hashFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (path: string): Promise<void> => {
    const full = join(REPO_ROOT, path);
    const info = await stat(full).catch(() => undefined);
    if (!info) return;
    if (info.isDirectory()) {
      for (const entry of (await readdir(full)).sort()) await visit(join(path, entry));
      return;
    }
    hash.update(`${path}\0`).update(await readFile(full)).update('\0');
  };
  for (const path of paths) await visit(path);
  return hash.digest('hex');
}

/** A lock held across processes (mkdir is atomic); a lock left by a process that died is taken over. */
async function lock(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const owner = join(path, 'pid');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(owner, String(process.pid));
      return async () => {
        await rm(owner, { force: true });
        await rmdir(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number(await readFile(owner, 'utf8').catch(() => ''));
    if (pid > 0 && !isAlive(pid)) await rm(path, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`${path} is still held by process ${pid || '?'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(), ...options.env };
  // As production runs them: as the database's runtime role, never as the owner the tests prepared it with.
  if (env['DATABASE_URL']) env['DATABASE_URL'] = testRuntimeUrl(env['DATABASE_URL']);
  const app = new ManagedProcess({
    name: options.name,
    command: process.execPath,
    args: ['--import', EXIT_WITH_PARENT, options.main],
    cwd: REPO_ROOT,
    env,
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
