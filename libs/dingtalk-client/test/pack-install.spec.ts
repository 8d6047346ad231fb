/**
 * The published shape of @dingrelay/contracts and @dingrelay/dingtalk-client: `npm pack` both (prepack builds the
 * ES module and CommonJS builds), check the tarballs with @arethetypeswrong/cli and publint, then install them into
 * blank projects outside the workspace (third-party dependencies from the registry or npm's cache) and run code
 * there that imports the installed packages only:
 *
 * - without the optional peers (class-validator, class-transformer, reflect-metadata): ESM and require() load the
 *   DingTalk client and the contracts' /client and /node entries, on today's Node and on the lowest `engines` admits;
 *   the installed size stays under a ceiling;
 * - with the peers: an ES module that validates and sends through the simulator started here; a NestJS project's
 *   code compiled with Nest's default tsconfig (CommonJS, moduleResolution node) and run with require(), on both
 *   Nodes; TypeScript consumers type-checked with moduleResolution nodenext and bundler; the README examples.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_APP, type DingTalkSimulator, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { installedNames, jsonIn, npm, outsideEnv, pack, REPO_ROOT, run, sizeOf } from './support/blank-project.js';
import { enginesNode, lowestNodeVersion, nodeBinary } from './support/lowest-node.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/pack-consumer/', import.meta.url));
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const PACKAGES = [
  { name: '@dingrelay/contracts', dir: join(REPO_ROOT, 'libs/contracts') },
  { name: '@dingrelay/dingtalk-client', dir: join(REPO_ROOT, 'libs/dingtalk-client') },
] as const;
const PUBLISHED = new Set<string>(PACKAGES.map((p) => p.name));
/** What a published package may depend on: its own runtime needs, never a framework or the workspace's internals. */
const ALLOWED_DEPENDENCIES: Record<string, readonly string[]> = {
  '@dingrelay/contracts': ['reflect-metadata', 'class-validator', 'class-transformer'],
  '@dingrelay/dingtalk-client': ['@dingrelay/contracts'],
};
/** Only the validation classes (the contracts' root entry) need these; the README says so. */
const VALIDATION_PEERS = ['class-transformer', 'class-validator', 'reflect-metadata'];
/**
 * Ceilings on node_modules after `npm install <tarball>` in a blank project (the READMEs report the sizes measured;
 * the target for the DingTalk client, contracts included, is 2 MB).
 */
const SIZE_CEILINGS = {
  contracts: 1_500_000,
  dingtalkClient: 2_000_000,
};
/** Package entry points, each with the ESM and CommonJS files its `exports` must name. */
const ENTRIES: Record<string, Record<string, string>> = {
  '@dingrelay/contracts': { '.': 'index', './client': 'client', './node': 'node' },
  '@dingrelay/dingtalk-client': { '.': 'index' },
};

/** Loads the DingTalk client and the contracts' peer-free entries with require() and reports what resolved. */
const REQUIRE_WITHOUT_PEERS = `const { DingrelayClient, SendStatus } = require('@dingrelay/contracts/client');
const { writeExportToFile } = require('@dingrelay/contracts/node');
const { DingTalkClient, verifyCallbackSign } = require('@dingrelay/dingtalk-client');
console.log(JSON.stringify({
  node: process.version,
  types: [typeof DingrelayClient, typeof writeExportToFile, typeof DingTalkClient, typeof verifyCallbackSign],
  completed: SendStatus.Completed,
  resolved: [require.resolve('@dingrelay/contracts/client'), require.resolve('@dingrelay/dingtalk-client')],
  loaded: Object.keys(require.cache).filter((f) => /node_modules\\/(class-validator|class-transformer|reflect-metadata)\\//.test(f)),
}));
`;
/** The same with import, plus what the contracts' root (the validation classes) says without its peers. */
const IMPORT_WITHOUT_PEERS = `import { DingrelayClient } from '@dingrelay/contracts/client';
import { writeExportToFile } from '@dingrelay/contracts/node';
import { DingTalkClient } from '@dingrelay/dingtalk-client';
let root;
try {
  await import('@dingrelay/contracts');
  root = 'loaded';
} catch (e) {
  root = e.code + ': ' + e.message;
}
console.log(JSON.stringify({
  types: [typeof DingrelayClient, typeof writeExportToFile, typeof DingTalkClient],
  resolved: [import.meta.resolve('@dingrelay/contracts/client'), import.meta.resolve('@dingrelay/dingtalk-client')],
  classValidatorLoaded: 'classValidatorMetadataStorage' in globalThis,
  root,
}));
`;
/**
 * NestJS's default tsconfig (what `nest new` writes: CommonJS, decorators with metadata, loose null checks), with
 * `moduleResolution: node` spelled out and ES2021 as the target. Differences: TypeScript 6 needs
 * `ignoreDeprecations` to accept `node` (node10) resolution and an explicit `rootDir`, `baseUrl` is left out (also
 * deprecated; no paths use it), and `skipLibCheck` is off so that the installed declarations are checked too.
 */
const NEST_TSCONFIG = {
  compilerOptions: {
    module: 'commonjs',
    moduleResolution: 'node',
    ignoreDeprecations: '6.0',
    declaration: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    target: 'ES2021',
    sourceMap: true,
    outDir: './dist',
    rootDir: './src',
    incremental: true,
    skipLibCheck: false,
    strictNullChecks: false,
    noImplicitAny: false,
    strictBindCallApply: false,
    forceConsistentCasingInFileNames: false,
    noFallthroughCasesInSwitch: false,
    typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
    types: ['node'],
  },
  include: ['src'],
};

/**
 * The README examples that run here as written, against the simulator, so the READMEs cannot drift from the
 * packages; with what each must print (and how many messages it must deliver). Examples that need a running
 * dingrelay API (the contracts' TypeScript examples) run in apps/cli/test/pack-install.e2e.spec.ts, which has the stack.
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
    'validate-send.cjs': (output, delivered) => {
      expect(output).toMatch(/^msgParam\.content: \S/m);
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
    'read-status.cjs': (output, delivered) => {
      expect(output).toMatch(/^sent to 1, read by \d+$/m);
      expect(delivered).toBe(1);
    },
    'verify-callbacks.mjs': (output, delivered) => {
      expect(output.split('\n').slice(0, 6)).toEqual([
        '{ ok: true }',
        "{ ok: false, reason: 'mismatch' }",
        'true',
        '{"EventType":"check_url"}',
        'msg_signature, timeStamp, nonce, encrypt',
        '',
      ]);
      expect(delivered).toBe(0);
    },
  },
};

interface Conditions {
  types: string;
  default: string;
}
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  description?: string;
  type?: string;
  main?: string;
  types?: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  engines?: Record<string, string>;
  exports: Record<string, Record<string, string | Conditions> | string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  files?: string[];
}

let work: string;
const tarballs: Record<string, string> = {};
/** Blank projects: the contracts alone; contracts + client without peers; both with the validation peers. */
let contractsOnly: string;
let bare: string;
let full: string;
let lowestNode: string;
let sim: DingTalkSimulator;

const installed = (project: string, name: string) => join(project, 'node_modules', name);
const manifestOf = (name: string) => JSON.parse(readFileSync(join(installed(full, name), 'package.json'), 'utf8')) as Manifest;
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());

const simEnv = () =>
  outsideEnv({
    DINGTALK_BASE_URL: sim.url,
    DINGTALK_APP_KEY: DEV_APP.appKey,
    DINGTALK_APP_SECRET: DEV_APP.appSecret,
    DINGTALK_ROBOT_CODE: DEV_APP.robotCode,
  });

async function blankProject(name: string, type: 'module' | 'commonjs', install: readonly string[]): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `dingrelay-${name}`, version: '1.0.0', private: true, type }));
  await npm(['install', '--prefer-offline', ...install], dir);
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dingrelay-pack-'));
  await mkdir(join(work, 'tarballs'));
  // One after the other: the client's prepack builds the contracts too, and two tsc -b on one tree race.
  for (const p of PACKAGES) tarballs[p.name] = await pack(p.dir, join(work, 'tarballs'));
  const both = PACKAGES.map((p) => tarballs[p.name]!);
  // A consumer that calls class-validator and class-transformer itself lists them, in the ranges the contracts accept.
  const contractsPeers = (JSON.parse(await readFile(join(PACKAGES[0].dir, 'package.json'), 'utf8')) as Manifest).peerDependencies ?? {};
  const peers = Object.entries(contractsPeers).map(([n, range]) => `${n}@${range}`);
  // The Node binary comes from the registry too: fetch it while npm installs the rest.
  const binary = nodeBinary();
  contractsOnly = await blankProject('contracts-only', 'module', [tarballs['@dingrelay/contracts']!]);
  bare = await blankProject('no-peers', 'module', both);
  full = await blankProject('with-peers', 'module', [...both, ...peers]);
  for (const f of ['consumer.mjs', 'consumer-types.ts']) await copyFile(join(FIXTURES, f), join(full, f));
  // The NestJS project: CommonJS (no "type"), in a folder of its own inside `full`, whose node_modules it resolves.
  await mkdir(join(full, 'nest/src'), { recursive: true });
  await writeFile(join(full, 'nest/package.json'), JSON.stringify({ name: 'nest-consumer', version: '1.0.0', private: true }));
  await writeFile(join(full, 'nest/tsconfig.json'), JSON.stringify(NEST_TSCONFIG, null, 2));
  await copyFile(join(FIXTURES, 'nest-consumer.ts'), join(full, 'nest/src/main.ts'));
  lowestNode = await binary;
  sim = await startDingTalkSimulator();
}, 900_000);

afterAll(async () => {
  await sim?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.each(PACKAGES)('the packed $name', ({ name, dir }) => {
  it('is a public, versioned package with ESM and CommonJS builds, each with its declarations', () => {
    const m = manifestOf(name);
    const root = installed(full, name);
    expect(m.private).toBeUndefined();
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(m.description).toBeTruthy();
    expect(m.type).toBe('module');
    expect(Object.keys(m.exports).sort()).toEqual([...Object.keys(ENTRIES[name]!), './package.json'].sort());
    for (const [path, file] of Object.entries(ENTRIES[name]!)) {
      const conditions = m.exports[path] as Record<string, string | Conditions>;
      // The workspace-only condition comes first so that it wins there; nobody else sets it.
      expect(Object.keys(conditions)).toEqual(['@dingrelay/source', 'import', 'require']);
      expect(conditions['import']).toEqual({ types: `./dist/esm/${file}.d.ts`, default: `./dist/esm/${file}.js` });
      expect(conditions['require']).toEqual({ types: `./dist/cjs/${file}.d.ts`, default: `./dist/cjs/${file}.js` });
      for (const target of [`dist/esm/${file}.d.ts`, `dist/esm/${file}.js`, `dist/cjs/${file}.d.ts`, `dist/cjs/${file}.js`]) {
        expect(existsSync(join(root, target))).toBe(true);
      }
      // moduleResolution node (node10) reads no `exports`: main/types for the root, typesVersions for subpaths.
      if (path !== '.') expect(m.typesVersions?.['*']?.[path.slice(2)]).toEqual([`./dist/cjs/${file}.d.ts`]);
    }
    expect(m.main).toBe('./dist/cjs/index.js');
    expect(m.types).toBe('./dist/cjs/index.d.ts');
    // What makes dist/cjs CommonJS for Node and TypeScript in a "type": "module" package.
    expect(JSON.parse(readFileSync(join(root, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(existsSync(join(root, 'README.md'))).toBe(true);
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toContain(`## [${m.version}]`);
  });

  it('is Apache-2.0 licensed with the licence text, and states the Node versions the repository does', () => {
    const m = manifestOf(name);
    expect(m.license).toBe('Apache-2.0');
    expect(readFileSync(join(installed(full, name), 'LICENSE'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'));
    expect(m.engines).toEqual({ node: enginesNode() });
  });

  it('depends on nothing but its runtime needs: no Nest, no TypeORM, no internal workspace package; validation peers optional', () => {
    const m = manifestOf(name);
    const declared = [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})];
    expect(declared.sort()).toEqual([...ALLOWED_DEPENDENCIES[name]!].sort());
    for (const range of [...Object.values(m.dependencies ?? {}), ...Object.values(m.peerDependencies ?? {})]) {
      expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
    for (const peer of Object.keys(m.peerDependencies ?? {})) expect(m.peerDependenciesMeta?.[peer]).toEqual({ optional: true });
    expect(Object.keys(m.dependencies ?? {}).filter((d) => VALIDATION_PEERS.includes(d))).toEqual([]);
  });

  it('ships no tests and no build state, and only compiled files that have a source', () => {
    const files = filesUnder(installed(full, name));
    expect(files.filter((f) => /\.spec\.|tsbuildinfo|(^|\/)test\//.test(f))).toEqual([]);
    for (const build of ['esm', 'cjs']) {
      const compiled = files.filter((f) => f.startsWith(`dist/${build}/`) && f.endsWith('.js'));
      expect(compiled.length).toBeGreaterThan(5);
      for (const f of compiled) expect(existsSync(join(dir, 'src', relative(`dist/${build}`, f).replace(/\.js$/, '.ts')))).toBe(true);
    }
    // Source maps point at the shipped sources.
    expect(files).toContain('src/index.ts');
  });

  it('imports at run time only Node built-ins and the packages it declares, in both builds', () => {
    const m = manifestOf(name);
    const declared = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    for (const build of ['esm', 'cjs']) {
      const undeclared = new Set<string>();
      const seen = new Set<string>();
      for (const f of filesUnder(join(installed(full, name), 'dist', build)).filter((f) => f.endsWith('.js'))) {
        const source = readFileSync(join(installed(full, name), 'dist', build, f), 'utf8');
        // `import … from 'x'`, `export … from 'x'`, the bare `import 'x'` (reflect-metadata is loaded that way), require("x").
        const specifiers =
          build === 'esm'
            ? source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)
            : source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g);
        for (const match of specifiers) {
          const spec = match[1] ?? match[2];
          if (spec === undefined || spec.startsWith('.')) continue;
          const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
          const pkg = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : bare.split('/')[0]!;
          seen.add(pkg);
          if (!builtins.has(pkg) && !declared.has(pkg)) undeclared.add(`${f}: ${spec}`);
        }
        // The CommonJS build is loadable by require() on every Node: no import(), no import.meta.
        if (build === 'cjs') expect([f, /\bimport\(|import\.meta/.test(source)]).toEqual([f, false]);
      }
      expect([...undeclared]).toEqual([]);
      // The scan does find imports: each runtime dependency shows up (peers included).
      for (const dep of declared) expect([build, seen.has(dep)]).toEqual([build, true]);
    }
  });

  it('has no problem @arethetypeswrong/cli can find, in any module resolution (node10, node16 from CJS and ESM, bundler)', async () => {
    const bin = join(REPO_ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    // Exits non-zero on any problem; the JSON names them.
    const output = await run(`attw ${name}`, process.execPath, [bin, tarballs[name]!, '--format', 'json'], work, 120_000).catch((e: Error) => e.message);
    const report = jsonIn<{ problems?: Record<string, unknown[]>; analysis?: { entrypoints?: Record<string, unknown> } }>(output);
    expect(report.problems).toBeDefined();
    expect(Object.values(report.problems ?? {}).flat()).toEqual([]);
    expect(Object.keys(report.analysis?.entrypoints ?? {}).sort()).toEqual([...Object.keys(ENTRIES[name]!), './package.json'].sort());
  }, 150_000);

  it('has no error, warning or suggestion from publint', async () => {
    const bin = join(REPO_ROOT, 'node_modules/publint/src/cli.js');
    const output = await run(`publint ${name}`, process.execPath, [bin, 'run', tarballs[name]!, '--level', 'suggestion', '--strict'], work, 120_000);
    expect(output).toContain('All good!');
    expect(output).not.toMatch(/suggestion|warning|error/i);
  }, 150_000);
});

describe('installed without class-validator, class-transformer and reflect-metadata', () => {
  it('pulls in no validation library, no framework and no other workspace package', async () => {
    const names = await installedNames(bare);
    expect([...names].sort()).toEqual([...PUBLISHED].sort());
  });

  it('stays small: node_modules under the ceilings the READMEs report against', () => {
    const sizes = {
      contracts: sizeOf(join(contractsOnly, 'node_modules')),
      dingtalkClient: sizeOf(join(bare, 'node_modules')),
      // For comparison only: both packages with the validation peers.
      withPeers: sizeOf(join(full, 'node_modules')),
    };
    // Printed for the READMEs' "Installed size" lines.
    console.log(`installed sizes (bytes): ${JSON.stringify(sizes)}`);
    expect(sizes.contracts).toBeLessThanOrEqual(SIZE_CEILINGS.contracts);
    expect(sizes.dingtalkClient).toBeLessThanOrEqual(SIZE_CEILINGS.dingtalkClient);
    // The client's tarball adds its own files to the contracts' (and nothing else).
    expect(sizes.dingtalkClient).toBeGreaterThan(sizes.contracts);
  });

  it('imports the DingTalk client and the contracts\' /client and /node entries; the root asks for the peers', async () => {
    await writeFile(join(bare, 'import-without-peers.mjs'), IMPORT_WITHOUT_PEERS);
    const out = jsonIn<{ types: string[]; resolved: string[]; classValidatorLoaded: boolean; root: string }>(
      await run('node import-without-peers.mjs', process.execPath, ['import-without-peers.mjs'], bare, 60_000),
    );
    expect(out.types).toEqual(['function', 'function', 'function']);
    expect(out.resolved.map((u) => fileURLToPath(u))).toEqual([
      join(installed(bare, '@dingrelay/contracts'), 'dist/esm/client.js'),
      join(installed(bare, '@dingrelay/dingtalk-client'), 'dist/esm/index.js'),
    ]);
    expect(out.classValidatorLoaded).toBe(false);
    expect(out.root).toMatch(/^ERR_MODULE_NOT_FOUND: .*'(class-validator|class-transformer|reflect-metadata)'/);
  }, 90_000);

  it.each([
    ['today\'s Node', () => process.execPath],
    [`the lowest Node engines admits (${lowestNodeVersion()})`, () => lowestNode],
  ])('require()s them on %s, from the CommonJS build', async (_label, node) => {
    await writeFile(join(bare, 'require-without-peers.cjs'), REQUIRE_WITHOUT_PEERS);
    const out = jsonIn<{ node: string; types: string[]; completed: string; resolved: string[]; loaded: string[] }>(
      await run('node require-without-peers.cjs', node(), ['require-without-peers.cjs'], bare, 60_000),
    );
    expect(out.node).toBe((await run('node --version', node(), ['--version'], bare, 30_000)).trim());
    expect(out.types).toEqual(['function', 'function', 'function', 'function']);
    expect(out.completed).toBe('completed');
    expect(out.resolved).toEqual([
      join(installed(bare, '@dingrelay/contracts'), 'dist/cjs/client.js'),
      join(installed(bare, '@dingrelay/dingtalk-client'), 'dist/cjs/index.js'),
    ]);
    expect(out.loaded).toEqual([]);
  }, 90_000);
});

describe('installed with the validation peers', () => {
  it('validates requests with the contracts and sends through the client to DingTalk (the simulator), as an ES module', async () => {
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
    }>(await run('node consumer.mjs', process.execPath, ['consumer.mjs'], full, 60_000, simEnv()));

    // Loaded from the blank project's node_modules, ES module build, not from the workspace.
    expect(fileURLToPath(out.resolved.contracts)).toBe(join(installed(full, '@dingrelay/contracts'), 'dist/esm/index.js'));
    expect(fileURLToPath(out.resolved.client)).toBe(join(installed(full, '@dingrelay/dingtalk-client'), 'dist/esm/index.js'));

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

  describe('a NestJS project (Nest\'s default tsconfig: CommonJS, moduleResolution node)', () => {
    let main: string;

    beforeAll(async () => {
      // A type error, in the consumer or in the installed declarations, fails the build with tsc's report.
      await run('tsc -p nest', process.execPath, [TSC, '-p', 'nest'], full, 120_000);
      main = join(full, 'nest/dist/main.js');
    }, 150_000);

    it('compiles to require() calls, with no import() left for Node to need', async () => {
      const js = await readFile(main, 'utf8');
      for (const spec of ['@dingrelay/contracts', '@dingrelay/contracts/client', '@dingrelay/dingtalk-client']) expect(js).toContain(`require("${spec}")`);
      expect(js).not.toMatch(/\bimport\(/);
    });

    it.each([
      ['today\'s Node', () => process.execPath],
      [`the lowest Node engines admits (${lowestNodeVersion()})`, () => lowestNode],
    ])('validates with its own DTO around CreateSendRequest and sends through the client on %s', async (_label, node) => {
      const out = jsonIn<{
        node: string;
        badFields: string[];
        goodErrors: unknown[];
        processQueryKey: string;
        wrongSecret: unknown;
        apiError: string;
        completed: string;
        resolved: Record<string, string>;
      }>(await run('node nest/dist/main.js', node(), ['nest/dist/main.js'], full, 60_000, simEnv()));
      expect(out.node).toBe((await run('node --version', node(), ['--version'], full, 30_000)).trim());
      expect(out.resolved).toEqual({
        contracts: join(installed(full, '@dingrelay/contracts'), 'dist/cjs/index.js'),
        contractsClient: join(installed(full, '@dingrelay/contracts'), 'dist/cjs/client.js'),
        dingtalkClient: join(installed(full, '@dingrelay/dingtalk-client'), 'dist/cjs/index.js'),
      });
      // Nested validation through the decorator metadata Nest's tsconfig emits: the paths lead into `request`.
      expect(out.badFields).toEqual(expect.arrayContaining(['request.userIds', 'request.msgParam.text']));
      expect(out.goodErrors).toEqual([]);
      expect(sim.ledger.call(out.processQueryKey)).toMatchObject({ msgKey: 'sampleMarkdown', msgParam: { title: 'Nest', text: 'from **CommonJS**' }, delivered: ['user-1', 'user-2'] });
      expect(out.wrongSecret).toEqual({ isApiError: true, permanent: true });
      expect([out.apiError, out.completed]).toEqual(['function', 'completed']);
    }, 90_000);
  });

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('types a TypeScript consumer (moduleResolution %s), declarations checked too', async (label, resolution) => {
    const tsconfig = `tsconfig.${label}.json`;
    await writeFile(
      join(full, tsconfig),
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
    await run(`tsc -p ${tsconfig}`, process.execPath, [TSC, '-p', tsconfig], full, 120_000);
  }, 150_000);

  it.each(Object.keys(README_EXAMPLES))('runs the examples in %s', async (readme) => {
    const blocks = programBlocks(readFileSync(join(REPO_ROOT, readme), 'utf8'));
    for (const [file, expectations] of Object.entries(README_EXAMPLES[readme]!)) {
      const code = blocks.get(file);
      if (code === undefined) throw new Error(`${readme} no longer has the example ${file}; update README_EXAMPLES`);
      await writeFile(join(full, file), code);
      const before = sim.ledger.summary().deliveries;
      const output = await run(`node ${file} (${readme})`, process.execPath, [file], full, 60_000, simEnv());
      expectations(output, sim.ledger.summary().deliveries - before);
    }
  }, 150_000);
});

/** README code blocks that are complete programs: fenced as ```js with a first line `// <name>.mjs…` (or `.cjs`). */
function programBlocks(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, code] of markdown.matchAll(/```js\n([\s\S]*?)```/g)) {
    const file = /^\/\/ ([\w.-]+\.[mc]js)\b/.exec(code!)?.[1];
    if (file) out.set(file, code!);
  }
  return out;
}
