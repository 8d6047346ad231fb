// Builds another commit of this repository beside the checkout, for before/after benchmarks on the same data: its
// files from `git archive`, this checkout's node_modules shared (only the workspace's own @dingrelay/* links point
// into the copy), and `tsc -b apps/api/tsconfig.build.json`. Nothing in the checkout itself changes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory holding `rev` built (apps/api/dist/main.js ready); built once per commit. */
export function buildCommit(root, rev, say = () => {}) {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), 'dingrelay-bench-builds', sha);
  if (existsSync(join(dir, 'apps/api/dist/main.js'))) return dir;
  say(`building ${rev} (${sha.slice(0, 12)}) in ${dir}…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C "${dir}"`], { cwd: root, stdio: 'inherit' });
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@dingrelay'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '@dingrelay') continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  // The workspace packages: the same relative links as npm made, so they resolve to the copy's libs and apps.
  for (const entry of readdirSync(join(root, 'node_modules/@dingrelay'))) {
    symlinkSync(readlinkSync(join(root, 'node_modules/@dingrelay', entry)), join(modules, '@dingrelay', entry));
  }
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'apps/api/tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  return dir;
}
