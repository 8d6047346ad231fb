import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  type ApiProcess,
  buildApiApp,
  buildApp,
  buildWorkerApp,
  deleteQueuePrefix,
  issueApiKey,
  type ManagedProcess,
  prepareTestDatabase,
  REPO_ROOT,
  stackEnv,
  startApiProcess,
  startWorkerProcess,
  uniqueQueuePrefix,
} from '@dingrelay/testing';

export const APP = { appKey: 'cli-app', appSecret: 'cli-app-secret', robotCode: 'cli-robot' };
const CLI_MAIN = 'apps/cli/dist/main.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * What an operator has: dingrelay running (the built API and worker as their own processes, DingTalk simulated in
 * this process so its ledger can be read) and the built CLI, run as a child process for every command.
 */
export class CliStack {
  private constructor(
    readonly sim: DingTalkSimulator,
    readonly api: ApiProcess,
    readonly worker: ManagedProcess,
    readonly prefix: string,
    /** The default chat configuration, unique to this suite in the shared database. */
    readonly configuration: string,
    readonly databaseUrl: string,
    readonly dir: string,
    /** A file holding the suite's admin key (mode 600). */
    readonly adminKeyFile: string,
  ) {}

  static async start(): Promise<CliStack> {
    const databaseUrl = await prepareTestDatabase();
    const prefix = uniqueQueuePrefix('cli-e2e');
    const configuration = `cli-e2e-${prefix.slice(-8)}`;
    // One build after another: on two cores, parallel tsc runs only slow each other down.
    await buildApiApp();
    await buildWorkerApp();
    await buildApp('apps/cli/tsconfig.build.json', CLI_MAIN);
    const sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^staff-\\d+$' } });
    const env = {
      ...stackEnv({ databaseUrl, queuePrefix: prefix, dingTalkUrl: sim.url, app: APP, configuration }),
      DATABASE_POOL_SIZE: '4',
    };
    const dir = mkdtempSync(join(tmpdir(), 'dingrelay-cli-e2e-'));
    let worker: ManagedProcess | undefined;
    let api: ApiProcess | undefined;
    try {
      // The worker first: it creates the default configuration from the DINGTALK_* variables at its first start.
      worker = await startWorkerProcess({ name: 'cli-e2e worker', env: { ...env, WORKER_CONCURRENCY: '4', RETRY_BASE_DELAY_MS: '200' } });
      api = await startApiProcess({ name: 'cli-e2e api', env });
      const adminKeyFile = join(dir, 'admin.key');
      writeFileSync(adminKeyFile, `${await issueApiKey({ databaseUrl, role: 'admin', name: `cli-e2e-admin-${prefix.slice(-8)}` })}\n`, { mode: 0o600 });
      return new CliStack(sim, api, worker, prefix, configuration, databaseUrl, dir, adminKeyFile);
    } catch (error) {
      await api?.stop();
      await worker?.stop();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Writes a file in the suite's temporary folder (mode 600) and returns its path. */
  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    chmodSync(path, 0o600);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /**
   * `node apps/cli/dist/main.js …args` pointed at this stack with the admin key file (through the environment, as
   * an operator's shell would), unless `env` says otherwise. Only PATH and HOME are inherited.
   */
  run(args: readonly string[], options: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliRun> {
    const env = Object.fromEntries(
      Object.entries({
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        DINGRELAY_URL: this.api.url,
        DINGRELAY_API_KEY_FILE: this.adminKeyFile,
        ...options.env,
      }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    return runCli(args, env, options.stdin);
  }

  /**
   * The same, on a pseudo-terminal (util-linux `script`), as an operator at a terminal sees it: stdout and stderr
   * arrive together in `stdout`, with line ends as a terminal writes them.
   */
  runInTerminal(args: readonly string[]): Promise<CliRun> {
    const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, join(REPO_ROOT, CLI_MAIN), ...args].map(quote).join(' ');
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DINGRELAY_URL: this.api.url, DINGRELAY_API_KEY_FILE: this.adminKeyFile, TERM: 'xterm', COLUMNS: '120' };
    return runChild('script', ['-qec', command, '/dev/null'], env);
  }

  async close(): Promise<void> {
    await this.api?.stop();
    await this.worker?.stop();
    await this.sim?.close();
    await deleteQueuePrefix(this.prefix);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the built CLI with exactly this environment and collects its output. */
export function runCli(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return runChild(process.execPath, [join(REPO_ROOT, CLI_MAIN), ...args], env, stdin);
}

/** Runs `command` in the repository with exactly this environment, `stdin` as its input, and collects its output. */
function runChild(command: string, args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** The one JSON document a `--json` run printed; fails with its output when there is none. */
export function parseJson<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`expected one JSON document on stdout (exit ${run.code}); stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** The JSON error a `--json` run printed on stderr. */
export function parseJsonError(run: CliRun): { error: Record<string, unknown> & { exitCode: number } } {
  try {
    return JSON.parse(run.stderr.trim().split('\n').at(-1) ?? '') as { error: Record<string, unknown> & { exitCode: number } };
  } catch {
    throw new Error(`expected a JSON error on stderr (exit ${run.code}); stderr:\n${run.stderr}`);
  }
}
