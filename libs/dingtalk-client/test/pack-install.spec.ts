/**
 * The published shape of @dingrelay/contracts and @dingrelay/dingtalk-client: build both, `npm pack` them, install
 * the tarballs into a blank project outside the workspace (third-party dependencies from the registry or npm's
 * cache), then run code there that imports the installed packages only: a script that validates and sends through
 * the simulator started here, a CommonJS consumer, the README examples, and a type check of a TypeScript consumer.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_APP, type DingTalkSimulator, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';

// Not the testing kit's process helpers: the kit depends on this library, and lint keeps that one-way.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/pack-consumer/', import.meta.url));
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const PACKAGES = [
  { name: '@dingrelay/contracts', dir: join(REPO_ROOT, 'libs/contracts') },
  { name: '@dingrelay/dingtalk-client', dir: join(REPO_ROOT, 'libs/dingtalk-client') },
] as const;
/** What a published package may depend on: its own runtime needs, never a framework or the workspace's internals. */
const ALLOWED_DEPENDENCIES: Record<string, readonly string[]> = {
  '@dingrelay/contracts': ['reflect-metadata', 'class-validator', 'class-transformer'],
  '@dingrelay/dingtalk-client': ['@dingrelay/contracts'],
};
/** A CommonJS consumer: both packages are ES modules, which CommonJS loads with import(). */
const CJS_CONSUMER = `(async () => {
  const contracts = await import('@dingrelay/contracts');
  const client = await import('@dingrelay/dingtalk-client');
  console.log(JSON.stringify({ createSendRequest: typeof contracts.CreateSendRequest, dingTalkClient: typeof client.DingTalkClient }));
})().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
`;
const PUBLISHED = new Set<string>(PACKAGES.map((p) => p.name));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  description?: string;
  type?: string;
  main?: string;
  types?: string;
  engines?: Record<string, string>;
  exports: Record<string, Record<string, string> | string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  files?: string[];
}

let work: string;
let project: string;
let sim: DingTalkSimulator;

/**
 * npm settings children may inherit (where the registry is and how to reach it). The rest of `npm_*` is dropped:
 * under `npm run`/`npm test` it describes the workspace (`npm_config_local_prefix` is the repository root), and an
 * `npm install` that took it up would install into the workspace instead of the blank project.
 */
const KEPT_NPM_SETTINGS = /^npm_config_(registry|@[\w-]+:registry|cache|userconfig|globalconfig|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|fetch_[\w]+|prefer_offline|offline)$/i;

function outsideEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if ((/^npm_/i.test(k) && !KEPT_NPM_SETTINGS.test(k)) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end; resolves with its output (stdout and stderr), rejects with it on failure. */
function run(name: string, command: string, args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = outsideEnv()): Promise<string> {
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

const npm = (args: readonly string[], cwd: string, timeoutMs = 240_000) =>
  run(`npm ${args[0]}`, 'npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, timeoutMs);

/** The JSON document in a command's output: from the first line opening it to the last line closing it (npm may
 * print warnings around it; `npm ls --json` spans many lines, the consumer scripts print one). */
function jsonIn<T>(output: string, open: '{' | '[' = '{'): T {
  const close = open === '{' ? '}' : ']';
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l.startsWith(open));
  if (start < 0) throw new Error(`no JSON in:\n${output}`);
  if (lines[start]!.trimEnd().endsWith(close)) return JSON.parse(lines[start]!) as T;
  const end = lines.findLastIndex((l) => l.startsWith(close));
  return JSON.parse(lines.slice(start, end + 1).join('\n')) as T;
}

function installed(name: string): string {
  return join(project, 'node_modules', name);
}

function manifestOf(name: string): Manifest {
  return JSON.parse(readFileSync(join(installed(name), 'package.json'), 'utf8')) as Manifest;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

const simEnv = () =>
  outsideEnv({
    DINGTALK_BASE_URL: sim.url,
    DINGTALK_APP_KEY: DEV_APP.appKey,
    DINGTALK_APP_SECRET: DEV_APP.appSecret,
    DINGTALK_ROBOT_CODE: DEV_APP.robotCode,
  });

beforeAll(async () => {
  // A fresh clone has no dist: build both (the client's build references the contracts').
  await run('tsc -b', process.execPath, [TSC, '-b', 'libs/dingtalk-client/tsconfig.build.json'], REPO_ROOT, 240_000);
  work = await mkdtemp(join(tmpdir(), 'dingrelay-pack-'));
  const tarballs = join(work, 'tarballs');
  project = join(work, 'consumer');
  await mkdir(tarballs);
  await mkdir(project);
  const packed: string[] = [];
  for (const p of PACKAGES) {
    const [info] = jsonIn<Array<{ filename: string }>>(await npm(['pack', '--json', '--pack-destination', tarballs], p.dir), '[');
    packed.push(join(tarballs, info!.filename));
  }
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'dingrelay-consumer', version: '1.0.0', private: true, type: 'module' }));
  // A consumer that calls class-validator and class-transformer itself lists them, in the ranges the contracts accept.
  const contractsPeers = (JSON.parse(await readFile(join(PACKAGES[0].dir, 'package.json'), 'utf8')) as Manifest).peerDependencies ?? {};
  const peers = Object.entries(contractsPeers).map(([n, range]) => `${n}@${range}`);
  await npm(['install', '--prefer-offline', ...packed, ...peers], project);
  for (const f of ['consumer.mjs', 'consumer-types.ts']) await copyFile(join(FIXTURES, f), join(project, f));
  await writeFile(join(project, 'consumer.cjs'), CJS_CONSUMER);
  sim = await startDingTalkSimulator();
}, 480_000);

afterAll(async () => {
  await sim?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * The README examples that run here as written, against the simulator, so the READMEs cannot drift from the
 * packages; with what each must print (and how many messages it must deliver). Examples that need a running
 * dingrelay API (the contracts' API client section) are covered by the CLI's end-to-end tests instead.
 */
const README_EXAMPLES: Record<string, Record<string, (output: string, delivered: number) => void>> = {
  'libs/contracts/README.md': {
    'validate-send.mjs': (output, delivered) => {
      expect(output).toMatch(/^userIds: /m);
      expect(output).toMatch(/^msgParam\.text: /m);
      expect(output).toMatch(/^urgent: /m);
      expect(output).toContain('valid: true');
      expect(delivered).toBe(0);
    },
  },
  'libs/dingtalk-client/README.md': {
    'send-markdown.mjs': (output, delivered) => {
      expect(output).toMatch(/processQueryKey: \S+/);
      expect(delivered).toBe(2);
    },
    'observe-and-pace.mjs': (output, delivered) => {
      expect(output).toMatch(/robot\.batchSendOTO ok 200/);
      expect(output).toContain('20 of 20 sent');
      expect(delivered).toBe(20);
    },
  },
};

describe.each(PACKAGES)('the packed $name', ({ name, dir }) => {
  it('is a public, versioned ES module package with declarations, a README and a CHANGELOG', () => {
    const m = manifestOf(name);
    expect(m.private).toBeUndefined();
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(m.license).toBeTruthy();
    expect(m.description).toBeTruthy();
    expect(m.type).toBe('module');
    expect(m.engines?.['node']).toBe('>=20.11');
    const entries = Object.entries(m.exports).filter(([path]) => path !== './package.json');
    expect(entries.map(([path]) => path)).toContain('.');
    const targets = entries.flatMap(([, conditions]) => {
      const c = conditions as Record<string, string>;
      // The workspace-only condition comes first so that it wins there; nobody else sets it.
      expect(Object.keys(c)).toEqual(['@dingrelay/source', 'types', 'default']);
      return [c['types'], c['default']];
    });
    for (const target of [...targets, m.main, m.types]) {
      expect(target).toMatch(/^\.\/dist\//);
      expect(existsSync(join(installed(name), target!))).toBe(true);
    }
    expect(existsSync(join(installed(name), 'README.md'))).toBe(true);
    expect(readFileSync(join(installed(name), 'CHANGELOG.md'), 'utf8')).toContain(`## [${m.version}]`);
  });

  it('depends on nothing but its runtime needs: no Nest, no TypeORM, no internal workspace package', () => {
    const m = manifestOf(name);
    const declared = [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})];
    expect(declared.sort()).toEqual([...ALLOWED_DEPENDENCIES[name]!].sort());
    for (const range of [...Object.values(m.dependencies ?? {}), ...Object.values(m.peerDependencies ?? {})]) {
      expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
  });

  it('ships no tests and no build state, and only compiled files that have a source', () => {
    const files = filesUnder(installed(name));
    expect(files.filter((f) => /\.spec\.|tsbuildinfo|(^|\/)test\//.test(f))).toEqual([]);
    const compiled = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    expect(compiled.length).toBeGreaterThan(5);
    for (const f of compiled) expect(existsSync(join(dir, 'src', relative('dist', f).replace(/\.js$/, '.ts')))).toBe(true);
    // Source maps point at the shipped sources.
    expect(files).toContain('src/index.ts');
  });

  it('imports at run time only Node built-ins and the packages it declares', () => {
    const m = manifestOf(name);
    const declared = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const undeclared = new Set<string>();
    const seen = new Set<string>();
    for (const f of filesUnder(join(installed(name), 'dist')).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(installed(name), 'dist', f), 'utf8');
      // `import … from 'x'`, `export … from 'x'` and the bare `import 'x'` (reflect-metadata is loaded that way).
      for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] ?? m[2];
        if (spec === undefined || spec.startsWith('.')) continue;
        const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
        const pkg = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : bare.split('/')[0]!;
        seen.add(pkg);
        if (!builtins.has(pkg) && !declared.has(pkg)) undeclared.add(`${f}: ${spec}`);
      }
    }
    expect([...undeclared]).toEqual([]);
    // The scan does find imports: each runtime dependency shows up (peers included).
    for (const dep of declared) expect(seen).toContain(dep);
  });
});

describe('installed in a blank project', () => {
  it('pulls in no framework and no other workspace package', async () => {
    const tree = jsonIn<{ dependencies?: Record<string, unknown> }>(await npm(['ls', '--all', '--json'], project));
    const names = new Set<string>();
    const walk = (deps: Record<string, unknown> | undefined) => {
      for (const [n, d] of Object.entries(deps ?? {})) {
        names.add(n);
        walk((d as { dependencies?: Record<string, unknown> }).dependencies);
      }
    };
    walk(tree.dependencies);
    expect([...PUBLISHED].every((n) => names.has(n))).toBe(true);
    expect([...names].filter((n) => n.startsWith('@nestjs/') || n === 'typeorm' || n === 'bull' || n === 'ioredis')).toEqual([]);
    expect([...names].filter((n) => n.startsWith('@dingrelay/') && !PUBLISHED.has(n))).toEqual([]);
  });

  it('validates requests with the contracts and sends through the client to DingTalk (the simulator)', async () => {
    const before = sim.ledger.countFor('user-1');
    const out = jsonIn<{
      badErrors: Array<{ field: string; message: string }>;
      goodErrors: unknown[];
      sent: { processQueryKey: string; invalidStaffIdList: string[] };
      status: { sendStatus: string; messageReadInfoList: Array<{ userId: string }> };
      wrongSecret: { isApiError: boolean; permanent: boolean };
      events: Array<{ api: string; outcome: string; httpStatus?: number }>;
      markdownFields: string[];
      resolved: { contracts: string; client: string };
    }>(await run('node consumer.mjs', process.execPath, ['consumer.mjs'], project, 60_000, simEnv()));

    // Loaded from the blank project's node_modules, not from the workspace.
    expect(fileURLToPath(out.resolved.contracts)).toBe(join(installed('@dingrelay/contracts'), 'dist/index.js'));
    expect(fileURLToPath(out.resolved.client)).toBe(join(installed('@dingrelay/dingtalk-client'), 'dist/index.js'));

    const badFields = out.badErrors.map((e) => e.field);
    expect(badFields).toEqual(expect.arrayContaining(['userIds', 'msgParam.text', 'urgent']));
    expect(out.badErrors.every((e) => e.message.length > 0)).toBe(true);
    expect(out.goodErrors).toEqual([]);
    expect(out.markdownFields).toEqual(['title', 'text']);

    expect(out.sent.invalidStaffIdList).toEqual([]);
    const call = sim.ledger.call(out.sent.processQueryKey);
    expect(call).toMatchObject({
      appKey: DEV_APP.appKey,
      robotCode: DEV_APP.robotCode,
      msgKey: 'sampleMarkdown',
      msgParam: { title: 'Release', text: '**v2** is out' },
      delivered: ['user-1', 'user-2'],
    });
    expect(sim.ledger.countFor('user-1')).toBe(before + 1);
    expect(out.status.messageReadInfoList.map((r) => r.userId).sort()).toEqual(['user-1', 'user-2']);
    expect(out.wrongSecret).toEqual({ isApiError: true, retryClass: 'permanent', permanent: true });
    expect(out.events).toEqual([
      { api: 'oauth2.accessToken', outcome: 'ok', httpStatus: 200 },
      { api: 'robot.batchSendOTO', outcome: 'ok', httpStatus: 200 },
      { api: 'robot.readStatus', outcome: 'ok', httpStatus: 200 },
      { api: 'oauth2.accessToken', outcome: 'api-error', httpStatus: expect.any(Number) },
    ]);
  }, 90_000);

  it('loads the DingTalk client without class-validator (it takes the contracts\' /client entry)', async () => {
    await writeFile(
      join(project, 'client-only.mjs'),
      "import { DingTalkClient } from '@dingrelay/dingtalk-client';\n" +
        "console.log(JSON.stringify({ client: typeof DingTalkClient, classValidatorLoaded: 'classValidatorMetadataStorage' in globalThis }));\n",
    );
    const out = jsonIn<Record<string, unknown>>(await run('node client-only.mjs', process.execPath, ['client-only.mjs'], project, 60_000));
    expect(out).toEqual({ client: 'function', classValidatorLoaded: false });
  }, 90_000);

  it('loads from CommonJS through import()', async () => {
    const out = jsonIn<Record<string, string>>(await run('node consumer.cjs', process.execPath, ['consumer.cjs'], project, 60_000));
    expect(out).toEqual({ createSendRequest: 'function', dingTalkClient: 'function' });
  }, 90_000);

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('types a TypeScript consumer (moduleResolution %s), declarations checked too', async (label, resolution) => {
    const tsconfig = `tsconfig.${label}.json`;
    await writeFile(
      join(project, tsconfig),
      JSON.stringify({
        compilerOptions: {
          ...resolution,
          target: 'es2022',
          strict: true,
          noEmit: true,
          // Check the installed declarations themselves, not only their use.
          skipLibCheck: false,
          experimentalDecorators: true,
          // Node's types from the workspace: a Node consumer has them; no need to install them here.
          typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['consumer-types.ts'],
      }),
    );
    // A type error (or an unused @ts-expect-error) fails the run with tsc's report in the message.
    await run(`tsc -p ${tsconfig}`, process.execPath, [TSC, '-p', tsconfig], project, 120_000);
  }, 150_000);

  it.each(Object.keys(README_EXAMPLES))('runs the examples in %s', async (readme) => {
    const blocks = programBlocks(readFileSync(join(REPO_ROOT, readme), 'utf8'));
    for (const [file, expectations] of Object.entries(README_EXAMPLES[readme]!)) {
      const code = blocks.get(file);
      if (code === undefined) throw new Error(`${readme} no longer has the example ${file}; update README_EXAMPLES`);
      await writeFile(join(project, file), code);
      const before = sim.ledger.summary().deliveries;
      const output = await run(`node ${file} (${readme})`, process.execPath, [file], project, 60_000, simEnv());
      expectations(output, sim.ledger.summary().deliveries - before);
    }
  }, 150_000);
});

/** README code blocks that are complete programs: fenced as ```js with a first line `// <name>.mjs…`. */
function programBlocks(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, code] of markdown.matchAll(/```js\n([\s\S]*?)```/g)) {
    const file = /^\/\/ ([\w.-]+\.mjs)\b/.exec(code!)?.[1];
    if (file) out.set(file, code!);
  }
  return out;
}
