/**
 * Truthful `engines`: the Node versions dingrelay says it runs on are stated once, in the root package.json, and
 * every production dependency installed here accepts each of them. When an upgrade brings a dependency that wants
 * a newer Node, this fails and names it; when the lowest version a dependency accepts goes up, so must ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { type InstalledPackage, productionPackages, readJson, REPO_ROOT, workspaceManifests } from '../src/workspace.js';

const ours = readJson<{ engines?: { node?: string } }>('package.json').engines?.node ?? '';
const lowest = semver.minVersion(ours)?.version;

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f) && !f.split('/').includes('node_modules'))
    .map((f) => join(dir, f));
}

/** Our own code: what would load a dependency. */
function ourSources(): string[] {
  return ['apps', 'libs'].flatMap((group) =>
    readdirSync(join(REPO_ROOT, group)).flatMap((project) => {
      try {
        return filesUnder(`${group}/${project}/src`, /\.(ts|tsx|js|mjs)$/);
      } catch {
        return [];
      }
    }),
  );
}

/**
 * Production dependencies whose `engines` do not bind dingrelay because dingrelay never loads them, each with the
 * facts that make it so, checked below (when one stops holding, the dependency counts like any other).
 */
const NEVER_LOADED: Record<string, { why: string; facts: () => void }> = {
  'file-type': {
    why: "@nestjs/common imports it lazily, inside FileTypeValidator (ParseFilePipe's magic-number check) only; dingrelay uploads no files and uses neither",
    facts: () => {
      const dependents = productionPackages().filter((p) => p.requires.includes('file-type'));
      expect(dependents.map((p) => p.name)).toEqual(['@nestjs/common']);
      const nest = join(REPO_ROOT, dependents[0]!.path);
      const loads = filesUnder(relative(REPO_ROOT, nest), /\.js$/).flatMap((f) =>
        [...readFileSync(join(REPO_ROOT, f), 'utf8').matchAll(/(from\s*|require\(\s*|import\(\s*)['"]file-type['"]/g)].map((m) => `${relative(relative(REPO_ROOT, nest), f)}: ${m[1]!.trim()}`),
      );
      expect(loads).toEqual(['pipes/file/file-type.validator.js: import(']);
      const users = ourSources().filter((f) => /FileTypeValidator|ParseFilePipe|['"]file-type['"]/.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
      expect(users).toEqual([]);
    },
  },
};

const describePackage = (p: InstalledPackage) => `${p.name}@${p.version} (${p.path}) wants node ${p.enginesNode}`;

describe('engines.node', () => {
  const packages = productionPackages();
  const binding = packages.filter((p) => p.enginesNode !== undefined && !(p.name in NEVER_LOADED));

  it('is stated in the root package.json, and every workspace package that states it (each published one must) agrees', () => {
    expect(semver.validRange(ours)).toBeTruthy();
    const differing: string[] = [];
    for (const [path, m] of workspaceManifests()) {
      if (!m.private && m.engines?.node === undefined) differing.push(`${path}: published without engines.node`);
      else if (m.engines?.node !== undefined && m.engines.node !== ours) differing.push(`${path}: ${m.engines.node}`);
    }
    expect(differing).toEqual([]);
  });

  it('admits no Node version that a production dependency refuses', () => {
    // The walk does find the tree: the ones that set the range today are among the packages read.
    expect(packages.length).toBeGreaterThan(100);
    expect(binding.map((p) => p.name)).toEqual(expect.arrayContaining(['typeorm', '@nestjs/swagger', '@nestjs/core', 'pg']));
    const refusing = binding.filter((p) => !semver.subset(ours, p.enginesNode!)).map(describePackage);
    expect(refusing).toEqual([]);
  });

  it('starts at the lowest version every production dependency accepts, no higher', () => {
    const highestMinimum = binding
      .map((p) => ({ p, min: semver.minVersion(p.enginesNode!) }))
      .reduce((a, b) => (b.min && (!a.min || semver.gt(b.min, a.min)) ? b : a));
    expect(lowest).toBe(highestMinimum.min?.version);
  });

  describe.each(Object.entries(NEVER_LOADED))('leaves out %s', (name, { why, facts }) => {
    it(`because ${why}`, () => {
      facts();
    });

    it('only while it would otherwise fail the check (else the exception is stale: remove it)', () => {
      const excluded = packages.filter((p) => p.name === name);
      expect(excluded.length).toBeGreaterThan(0);
      expect(excluded.filter((p) => p.enginesNode !== undefined && !semver.subset(ours, p.enginesNode)).map(describePackage)).toEqual(
        excluded.map(describePackage),
      );
    });
  });

  it('is what the README says, with the versions the tests run on', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${ours}\``);
    // The lowest version, on which the pack-and-install test runs the published libraries.
    expect(readme).toContain(`Node.js ${lowest}`);
  });
});
