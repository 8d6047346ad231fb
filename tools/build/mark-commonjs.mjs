#!/usr/bin/env node
// Usage: node tools/build/mark-commonjs.mjs <tsconfig.cjs.json>…
// Writes `{ "type": "commonjs" }` as package.json into the outDir of each given tsconfig and of every project it
// references. The published libraries are `"type": "module"`; their CommonJS build (dist/cjs, emitted by tsc with
// `module: commonjs`) needs a nearer package.json saying otherwise, or Node would load its .js files as ES modules
// and TypeScript would read its .d.ts files as ESM types. tsc emits no package.json, so every build of a library
// runs this right after `tsc -b` (the libraries' `build` scripts and the root `build`).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const configs = process.argv.slice(2);
if (configs.length === 0) {
  process.stderr.write('usage: node tools/build/mark-commonjs.mjs <tsconfig.cjs.json>…\n');
  process.exit(2);
}

const seen = new Set();
function mark(configPath) {
  const path = resolve(existsSync(configPath) && statSync(configPath).isDirectory() ? join(configPath, 'tsconfig.json') : configPath);
  if (seen.has(path)) return;
  seen.add(path);
  const config = JSON.parse(readFileSync(path, 'utf8'));
  const outDir = config.compilerOptions?.outDir;
  if (config.compilerOptions?.module !== 'commonjs' || typeof outDir !== 'string') {
    throw new Error(`${path} is not a CommonJS build (module: commonjs and an outDir of its own)`);
  }
  const out = resolve(dirname(path), outDir);
  if (!existsSync(out)) throw new Error(`${out} does not exist: run tsc -b ${configPath} first`);
  writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
  for (const reference of config.references ?? []) mark(resolve(dirname(path), reference.path));
}

for (const config of configs) mark(config);
