/**
 * Child processes and npm for the pack-and-install test: a blank project outside the workspace that installs the
 * packed tarballs as any other project would. Not the testing kit's process helpers: the kit depends on this
 * library, and lint keeps that one-way.
 */
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * npm settings children may inherit (where the registry is and how to reach it). The rest of `npm_*` is dropped:
 * under `npm run`/`npm test` it describes the workspace (`npm_config_local_prefix` is the repository root), and an
 * `npm install` that took it up would install into the workspace instead of the blank project.
 */
const KEPT_NPM_SETTINGS = /^npm_config_(registry|@[\w-]+:registry|cache|userconfig|globalconfig|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|fetch_[\w]+|prefer_offline|offline)$/i;

export function outsideEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if ((/^npm_/i.test(k) && !KEPT_NPM_SETTINGS.test(k)) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end; resolves with its output (stdout and stderr), rejects with it on failure. */
export function run(
  name: string,
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = outsideEnv(),
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not start: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${name} failed (${signal ?? `exit code ${code}`}):\n${output.slice(-20_000)}`));
    });
  });
}

export const npm = (args: readonly string[], cwd: string, timeoutMs = 240_000) =>
  run(`npm ${args.join(' ')}`, 'npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, timeoutMs);

/** `npm pack` in `dir` into `destination`; resolves with the tarball's path. `prepack` builds the package first. */
export async function pack(dir: string, destination: string): Promise<string> {
  const [info] = jsonIn<Array<{ filename: string }>>(await npm(['pack', '--json', '--pack-destination', destination], dir), '[');
  return join(destination, info!.filename);
}

/**
 * The JSON document in a command's output: from the first line opening it to the last line closing it (npm may
 * print warnings around it; `npm ls --json` spans many lines, the consumer scripts print one).
 */
export function jsonIn<T>(output: string, open: '{' | '[' = '{'): T {
  const close = open === '{' ? '}' : ']';
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l.startsWith(open));
  if (start < 0) throw new Error(`no JSON in:\n${output}`);
  if (lines[start]!.trimEnd().endsWith(close)) return JSON.parse(lines[start]!) as T;
  const end = lines.findLastIndex((l) => l.startsWith(close));
  return JSON.parse(lines.slice(start, end + 1).join('\n')) as T;
}

/** Bytes of every file under `dir` (what `du -sb` counts for files; links and folders themselves not counted). */
export function sizeOf(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const info = lstatSync(join(dir, entry));
    if (info.isFile()) bytes += info.size;
  }
  return bytes;
}

/** Every package installed, by `npm ls --all --json` (which also lists missing optional peers, without a version). */
export async function installedNames(project: string): Promise<Set<string>> {
  const tree = jsonIn<{ dependencies?: Record<string, unknown> }>(await npm(['ls', '--all', '--json'], project));
  const names = new Set<string>();
  const walk = (deps: Record<string, unknown> | undefined) => {
    for (const [n, d] of Object.entries(deps ?? {}) as Array<[string, { version?: string; dependencies?: Record<string, unknown> }]>) {
      if (d.version === undefined) continue;
      names.add(n);
      walk(d.dependencies);
    }
  };
  walk(tree.dependencies);
  return names;
}
