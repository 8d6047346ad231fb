/**
 * `@dingrelay/cli` as someone outside the repository gets it: `npm pack` the CLI and the contracts it depends on
 * (prepack builds each), install both tarballs into a blank project (third-party packages from the registry or
 * npm's cache), and run the `dingrelay` bin npm linked there against a running stack (API, worker, DingTalk
 * simulator, Postgres, Redis). Nothing here runs the workspace's copy of the CLI.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreatedSend, SendStatusResponse } from '@dingrelay/contracts/client';
import { REPO_ROOT } from '@dingrelay/testing';
import { CliStack, type CliRun, parseJson } from './support/cli-stack.js';

const CLI_DIR = join(REPO_ROOT, 'apps/cli');
const CONTRACTS_DIR = join(REPO_ROOT, 'libs/contracts');
const TEST_TIMEOUT_MS = 90_000;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Runs a command to its end with exactly `env`; resolves with its exit code and output. */
function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>, timeoutMs = 240_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * What npm in the blank project may inherit: PATH (with this Node first, which the bin's `#!/usr/bin/env node`
 * finds), HOME (npm's cache and settings) and where the registry is. Nothing that describes the workspace.
 */
function blankEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, HOME: process.env['HOME'] ?? '' };
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && /^npm_config_(registry|@[\w-]+:registry|cache|userconfig|cafile|ca|proxy|https_proxy|noproxy|strict_ssl)$/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

async function npm(args: readonly string[], cwd: string): Promise<string> {
  const result = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, blankEnv());
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function pack(dir: string, destination: string): Promise<string> {
  const [info] = JSON.parse(await npm(['pack', '--json', '--pack-destination', destination], dir)) as Array<{ filename: string }>;
  return join(destination, info!.filename);
}

describe('the packed @dingrelay/cli, installed in a blank project', () => {
  let stack: CliStack;
  let work: string;
  let project: string;
  let tarball: string;
  let bin: string;
  let contractsTarball: string;
  const installed = (name: string) => join(project, 'node_modules', name);
  const manifest = () => JSON.parse(readFileSync(join(installed('@dingrelay/cli'), 'package.json'), 'utf8')) as Manifest;
  /** The installed bin, pointed at the stack with the suite's admin key, as an operator's shell would run it. */
  const dingrelay = (args: readonly string[]) =>
    run(bin, args, project, blankEnv({ DINGRELAY_URL: stack.api.url, DINGRELAY_API_KEY_FILE: stack.adminKeyFile }), 60_000);

  beforeAll(async () => {
    stack = await CliStack.start();
    work = await mkdtemp(join(tmpdir(), 'dingrelay-cli-pack-'));
    await mkdir(join(work, 'tarballs'));
    // One after the other: both prepacks run tsc -b over the contracts.
    const contracts = await pack(CONTRACTS_DIR, join(work, 'tarballs'));
    contractsTarball = contracts;
    tarball = await pack(CLI_DIR, join(work, 'tarballs'));
    project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'cli-consumer', version: '1.0.0', private: true }));
    await npm(['install', '--prefer-offline', contracts, tarball], project);
    bin = join(project, 'node_modules/.bin/dingrelay');
  }, 600_000);

  afterAll(async () => {
    await stack?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is a public package with a bin, the licence, and the Node versions the repository states', () => {
    const m = manifest();
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
    expect(m.private).toBeUndefined();
    expect(m.type).toBe('module');
    expect(m.bin).toEqual({ dingrelay: './bin/dingrelay.mjs' });
    expect(m.license).toBe('Apache-2.0');
    expect(m.engines).toEqual(root.engines);
    expect(readFileSync(join(installed('@dingrelay/cli'), 'LICENSE'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'));
    // npm links the bin (to the blank project's copy, outside the workspace) and makes it executable.
    expect(realpathSync(bin)).toBe(join(realpathSync(installed('@dingrelay/cli')), 'bin/dingrelay.mjs'));
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('ships the compiled CLI and its documents only: no sources, tests, declarations or build state', () => {
    const files = readdirSync(installed('@dingrelay/cli'), { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(installed('@dingrelay/cli'), f)).isFile())
      .sort();
    const unexpected = files.filter((f) => !/^(dist\/.+\.js|bin\/dingrelay\.mjs|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/.test(f));
    expect(unexpected).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/main.js', 'bin/dingrelay.mjs', 'README.md', 'CHANGELOG.md', 'LICENSE']));
    expect(files.filter((f) => /\.spec\.js$/.test(f))).toEqual([]);
  });

  it('depends on the contracts alone, and installs without class-validator or any framework', () => {
    expect(manifest().dependencies).toEqual({ '@dingrelay/contracts': '^0.1.0' });
    expect(manifest().peerDependencies).toBeUndefined();
    const top = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(top).toEqual(['@dingrelay']);
    expect(readdirSync(join(project, 'node_modules/@dingrelay')).sort()).toEqual(['cli', 'contracts']);
  });

  it('has no error, warning or suggestion from publint', async () => {
    const result = await run(process.execPath, [join(REPO_ROOT, 'node_modules/publint/src/cli.js'), 'run', tarball, '--level', 'suggestion', '--strict'], work, blankEnv(), 120_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('All good!');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/suggestion|warning|error/i);
  }, 150_000);

  it('prints its version and help', async () => {
    const version = await dingrelay(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${manifest().version}\n` });
    const help = await dingrelay(['send', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: dingrelay send/);
  }, TEST_TIMEOUT_MS);

  it('sends and waits against the stack, then reads the status back', async () => {
    const sent = await dingrelay(['send', '--user', 'staff-41,staff-42', '--msg-key', 'sampleText', '--msg-param', '{"content":"from the packed cli"}', '--json', '--wait', '--interval', '0.2']);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const result = parseJson<{ send: CreatedSend; status: SendStatusResponse }>(sent);
    expect(result.status).toMatchObject({ id: result.send.id, status: 'completed', recipients: { total: 2, delivered: 2 } });
    for (const user of ['staff-41', 'staff-42']) expect(stack.sim.ledger.countFor(user)).toBe(1);

    const status = await dingrelay(['status', result.send.id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^status +completed$/m);
  }, TEST_TIMEOUT_MS);

  // The contracts' README promises each TypeScript example is a complete program: here they run as written, compiled
  // against the packed package (with the validation peers the catalog example's root entry needs), on this stack.
  it("runs every TypeScript example of the contracts' README against the stack, from the packed package", async () => {
    const examples = typeScriptExamples(readFileSync(join(CONTRACTS_DIR, 'README.md'), 'utf8'));
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const dir = join(work, 'readme-examples');
    await mkdir(dir);
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
    const peers = ['class-validator', 'class-transformer', 'reflect-metadata'].map((name) => `${name}@${root.dependencies?.[name] ?? 'latest'}`);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', version: '1.0.0', private: true, type: 'module' }));
    await npm(['install', '--prefer-offline', contractsTarball, ...peers], dir);
    const files = examples.map((code, i) => ({ name: `example-${i + 1}`, code }));
    for (const { name, code } of files) await writeFile(join(dir, `${name}.ts`), code);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          outDir: 'dist',
          rootDir: '.',
          typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        include: ['*.ts'],
      }),
    );
    const compiled = await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir, blankEnv(), 120_000);
    expect(`${compiled.stdout}${compiled.stderr}`).toBe('');
    const apiKey = readFileSync(stack.adminKeyFile, 'utf8').trim();
    for (const { name, code } of files) {
      const result = await run(process.execPath, [`dist/${name}.js`], dir, blankEnv({ DINGRELAY_URL: stack.api.url, DINGRELAY_API_KEY: apiKey }), 150_000);
      // Named by its first line, so a failure says which example broke.
      expect({ example: code.split('\n')[0], code: result.code, stderr: result.stderr }).toEqual({ example: code.split('\n')[0], code: 0, stderr: '' });
      expect(result.stdout.trim()).not.toBe('');
    }
  }, 600_000);
});

/** The README's TypeScript blocks (each a complete program, per the README). */
function typeScriptExamples(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code!);
}
