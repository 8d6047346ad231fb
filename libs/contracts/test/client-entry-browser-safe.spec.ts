import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `@dingrelay/contracts/client` is loaded by browsers too (dingrelay's console is bundled from it): nothing it
 * imports, directly or through another module, may need a Node built-in. Walks the real import graph of the sources.
 */
const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // Type-only imports and exports vanish from the JavaScript; everything else is loaded at run time.
  return [...text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] as string);
}

function reachable(entry: string): { files: Set<string>; external: Map<string, string> } {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.set(spec, file);
    }
  };
  visit(join(SRC, entry));
  return { files, external };
}

describe('@dingrelay/contracts/client in a browser', () => {
  it('reaches no Node built-in and no package but the ones a browser bundle can take', () => {
    const { files, external } = reachable('client.ts');
    expect(files.size).toBeGreaterThan(10);
    const offenders = [...external].filter(([spec]) => spec.startsWith('node:') || spec !== 'reflect-metadata');
    expect(offenders.map(([spec, file]) => `${spec} (from ${file.slice(SRC.length + 1)})`)).toEqual([]);
  });

  it('the Node-only export writer is reachable from the package root and /node, where it belongs', () => {
    expect(reachable('node.ts').external.has('node:fs')).toBe(true);
    expect([...reachable('index.ts').files].some((f) => f.endsWith('write-export-to-file.ts'))).toBe(true);
  });
});
