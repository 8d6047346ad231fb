#!/usr/bin/env node
// The `dingrelay` bin. It exists before the first build so that `npm ci` links it (npm skips a bin whose file is
// missing at install time); the CLI itself is apps/cli/dist, built by `npm run build` (and `npm start`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('dingrelay: the CLI is not built yet; run `npm run build` (or `npm start`) first\n');
  process.exit(1);
}
await import(main.href);
