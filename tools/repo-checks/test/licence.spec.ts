/**
 * One licence, Apache-2.0, for the repository and every package in it. The published packages carry the text
 * themselves (npm packs a package's own LICENSE, not the workspace root's); the pack-and-install tests check that
 * each tarball holds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, workspaceManifests } from '../src/workspace.js';

const LICENSE = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');

describe('the licence', () => {
  it('is the Apache License 2.0, in full, at the root', () => {
    expect(LICENSE).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004\s/);
    for (const section of ['1. Definitions.', '2. Grant of Copyright License.', '3. Grant of Patent License.', '9. Accepting Warranty or Additional Liability.', 'END OF TERMS AND CONDITIONS']) {
      expect(LICENSE).toContain(section);
    }
  });

  it('is every package.json\'s, the root and private workspaces included', () => {
    const others = [...workspaceManifests()].filter(([, m]) => m.license !== 'Apache-2.0').map(([path, m]) => `${path}: ${m.license}`);
    expect(others).toEqual([]);
  });

  it('ships with each published package, word for word', () => {
    const published = [...workspaceManifests()].filter(([, m]) => !m.private).map(([path]) => dirname(path));
    expect(published.sort()).toEqual(['apps/cli', 'libs/contracts', 'libs/dingtalk-client']);
    for (const dir of published) {
      expect([dir, existsSync(join(REPO_ROOT, dir, 'LICENSE'))]).toEqual([dir, true]);
      expect([dir, readFileSync(join(REPO_ROOT, dir, 'LICENSE'), 'utf8') === LICENSE]).toEqual([dir, true]);
    }
  });
});
