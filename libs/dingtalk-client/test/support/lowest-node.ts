/**
 * The lowest Node version dingrelay's `engines` admits, as a binary to run consumers with. Node publishes its
 * release binaries on the npm registry too (`node-<platform>-<arch>@<version>`, what the `node` package installs),
 * so npm fetches it like any package: once per machine (npm's cache keeps the tarball), unpacked once per checkout
 * under node_modules/.cache, which git ignores and `npm ci` empties.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { npm, REPO_ROOT, run } from './blank-project.js';

/** The root package.json's `engines.node`: the one statement of the Node versions dingrelay supports. */
export function enginesNode(): string {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const range = root.engines?.node;
  if (!range || !semver.validRange(range)) throw new Error(`the root package.json's engines.node is not a semver range: ${range}`);
  return range;
}

/** The lowest version `engines.node` admits, e.g. `20.19.0`. */
export function lowestNodeVersion(): string {
  const lowest = semver.minVersion(enginesNode());
  if (!lowest) throw new Error(`engines.node ${enginesNode()} admits no version`);
  return lowest.version;
}

/** The npm package holding Node's binary for this machine (the names Node's `node` package installs from). */
function binaryPackage(): string {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform as string];
  if (!platform || !['x64', 'arm64'].includes(process.arch)) {
    throw new Error(`no Node binary package known for ${process.platform}-${process.arch}`);
  }
  return `node-${platform}-${process.arch}`;
}

/** The path of a `node` binary of `version` (default: the lowest `engines` admits), installed on first use. */
export async function nodeBinary(version = lowestNodeVersion()): Promise<string> {
  const pkg = binaryPackage();
  const home = join(REPO_ROOT, 'node_modules/.cache/dingrelay-node', `${pkg}-${version}`);
  const binary = join(home, 'node_modules', pkg, 'bin/node');
  if (!existsSync(binary)) {
    await mkdir(join(home, '..'), { recursive: true });
    // Installed beside the final folder and renamed into place, so a run killed half-way leaves nothing that looks done.
    const scratch = await mkdtemp(`${home}.partial-`);
    try {
      await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'node-binary', private: true }));
      await npm(['install', '--no-save', '--ignore-scripts', '--prefer-offline', `${pkg}@${version}`], scratch, 300_000);
      await rename(scratch, home).catch(async (e: NodeJS.ErrnoException) => {
        // Another test process put the same version there first.
        if (!existsSync(binary)) throw e;
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const reported = (await run(`${binary} --version`, binary, ['--version'], REPO_ROOT, 30_000)).trim();
  if (reported !== `v${version}`) throw new Error(`${binary} reports ${reported}, expected v${version}`);
  return binary;
}
