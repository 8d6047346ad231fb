import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * apps/api/openapi.json passes Redocly's own `recommended` ruleset with no error and no warning, checked by the
 * pinned @redocly/cli itself (the same command an integrator would run), offline: telemetry and the update check
 * are switched off with Redocly's documented variables.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCUMENT = fileURLToPath(new URL('../openapi.json', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

async function lint(file: string): Promise<LintReport> {
  // Exit code 1 means "problems found": the report on stdout is what matters either way.
  const result = await promisify(execFile)(process.execPath, [REDOCLY, 'lint', '--extends', 'recommended', '--format', 'json', file], {
    cwd: ROOT,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout) throw new Error(`redocly lint did not run: ${error.stderr ?? String(error)}`);
    return { stdout: error.stdout };
  });
  return JSON.parse(result.stdout) as LintReport;
}

const summary = (report: LintReport) => report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);

describe('OpenAPI document against Redocly recommended', () => {
  it('lints with 0 errors and 0 warnings', async () => {
    const report = await lint(DOCUMENT);
    expect(summary(report)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  }, 60_000);

  it('relaxes nothing: no Redocly config or ignore file in the repository', () => {
    for (const file of ['redocly.yaml', '.redocly.yaml', 'redocly.yml', '.redocly.lint-ignore.yaml']) {
      expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: false });
    }
  });

  it('would fail on the problems the document used to have (no servers, no license, an operation without security)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dingrelay-openapi-lint-'));
    try {
      const document = JSON.parse(await readFile(DOCUMENT, 'utf8')) as {
        info: Record<string, unknown>;
        servers?: unknown[];
        paths: Record<string, Record<string, { security?: unknown }>>;
      };
      delete document.info['license'];
      document.servers = [];
      delete document.paths['/health/live']!['get']!.security;
      const broken = join(dir, 'openapi.json');
      await writeFile(broken, JSON.stringify(document));
      const rules = new Set((await lint(broken)).problems.map((p) => p.ruleId));
      expect([...rules].sort()).toEqual(expect.arrayContaining(['info-license', 'no-empty-servers', 'security-defined']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
