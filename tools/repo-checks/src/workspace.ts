/**
 * The workspace's manifests and its installed production dependencies, as the repository checks read them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as T;

/** The root package.json and every workspace package's, by path relative to the repository. */
export function workspaceManifests(): Map<string, Manifest> {
  const out = new Map<string, Manifest>([['package.json', readJson<Manifest>('package.json')]]);
  for (const group of ['apps', 'libs']) {
    for (const dir of readdirSync(join(REPO_ROOT, group)).sort()) {
      const path = `${group}/${dir}/package.json`;
      if (existsSync(join(REPO_ROOT, path))) out.set(path, readJson<Manifest>(path));
    }
  }
  return out;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** Where it is installed, relative to the repository (`node_modules/…`). */
  path: string;
  /** Its own `engines.node`, if it states one. */
  enginesNode: string | undefined;
  /** What it depends on (dependencies and optionalDependencies), by name. */
  requires: string[];
}

/**
 * Every package in node_modules that production needs: the lockfile's entries npm does not mark `dev` or
 * `devOptional` (what `npm ci --omit=dev` installs, as the Docker images do), read from their installed
 * package.json. Workspace links are our own packages, not dependencies. An optional package absent from disk is a
 * platform binary for another machine, which npm skipped here.
 */
export function productionPackages(): InstalledPackage[] {
  const lock = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');
  const out: InstalledPackage[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.includes('node_modules/') || entry.dev || entry.devOptional || entry.link) continue;
    const manifestPath = join(REPO_ROOT, path, 'package.json');
    if (!existsSync(manifestPath)) {
      if (entry.optional) continue;
      throw new Error(`${path} is a production dependency in package-lock.json but is not installed: run npm ci`);
    }
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest & { engines?: { node?: unknown } };
    const enginesNode = typeof m.engines?.node === 'string' ? m.engines.node : undefined;
    out.push({
      name: m.name,
      version: m.version,
      path,
      enginesNode,
      requires: Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }),
    });
  }
  return out;
}
