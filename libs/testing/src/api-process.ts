import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, REPO_ROOT, startBuiltApp } from './app-build.js';
import { describeExit, freePort, ManagedProcess } from './managed-process.js';
import { testRuntimeUrl } from './test-database.js';

/** The built API's entry point and its key-issuing command, as production runs them. */
export const API_MAIN = join(REPO_ROOT, 'apps/api/dist/main.js');
const CREATE_API_KEY = join(REPO_ROOT, 'apps/api/dist/create-api-key.js');

/** Builds the API app and the libs it references (once per test process); resolves with its entry point. */
export function buildApiApp(): Promise<string> {
  return buildApp('apps/api/tsconfig.build.json', 'apps/api/dist/main.js');
}

export interface ApiProcessOptions {
  /** Shown in failure messages. */
  name: string;
  /** The API's configuration (apps/api/src/api.config.ts): DATABASE_URL, REDIS_URL, QUEUE_PREFIX, … */
  env: Record<string, string>;
  /** How long start-up (migrations, Redis) may take on a busy machine. */
  readyTimeoutMs?: number;
  /** Output lines kept for `linesMatching` and failure messages (default 200); a test reading every line raises it. */
  keepLines?: number;
}

export interface ApiProcess {
  process: ManagedProcess;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/**
 * Starts `node apps/api/dist/main.js` on a free port as its own OS process and resolves once it answers HTTP (it
 * listens only after Nest's init: migrations, Redis and the key bootstrap are done). Call `buildApiApp` first.
 * Generous per-key rate limits by default (suites burst with one key); `env` overrides anything.
 */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = await startBuiltApp(
    {
      name: options.name,
      main: API_MAIN,
      env: {
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        API_KEY_RATE_LIMIT_PER_SECOND: '10000',
        API_KEY_RATE_LIMIT_BURST: '10000',
        ...options.env,
      },
      keepLines: options.keepLines,
    },
    (started) => answersHttp(started, url, options.readyTimeoutMs ?? 60_000),
  );
  return { process: api, url, stop: async () => void (await api.stop('SIGTERM', 10_000)) };
}

/** Any HTTP answer (even 401/404) means the server listens; a refused connection means not yet. */
async function answersHttp(api: ManagedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!api.running) throw new Error(`${api.name} exited (${describeExit(api.exitStatus)}) before listening; its output:\n${api.output()}`);
    try {
      await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${api.name} did not answer on ${url} within ${timeoutMs} ms; its output:\n${api.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Issues an API key with the API's own command (`create-api-key.js`, what `npm run api-key:create` runs) and returns
 * the key. Unlike BOOTSTRAP_ADMIN_API_KEY (ignored once any active admin key exists, as in a shared test database)
 * this always works. Needs the API built (`buildApiApp`).
 */
export async function issueApiKey(options: {
  databaseUrl: string;
  role: 'admin' | 'sender' | 'auditor';
  name: string;
  chatConfigurations?: string[];
}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dingrelay-key-'));
  const file = join(dir, 'key');
  try {
    const command = new ManagedProcess({
      name: `create-api-key ${options.name}`,
      command: process.execPath,
      args: [
        CREATE_API_KEY,
        '--role',
        options.role,
        '--name',
        options.name,
        '--output',
        file,
        ...(options.chatConfigurations ? ['--chat-configurations', options.chatConfigurations.join(',')] : []),
      ],
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: testRuntimeUrl(options.databaseUrl) },
    });
    const exit = await command.exited;
    if (exit.code !== 0) throw new Error(`create-api-key failed (${describeExit(exit)}):\n${command.output()}`);
    return (await readFile(file, 'utf8')).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
