import { readFileSync, statSync } from 'node:fs';
import { DingrelayClient } from '@dingrelay/contracts/client';
import { numberOption, type OptionValues, stringOption } from './args.js';
import { UsageError } from './exit-codes.js';
import type { Output } from './output.js';
import { CLI_VERSION } from './version.js';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/**
 * The client for this invocation. The key comes from a file (`--api-key-file`, `DINGRELAY_API_KEY_FILE`) or the
 * environment (`DINGRELAY_API_KEY`), never from a flag, so it stays out of shell history and `ps`; it is never printed.
 */
export function createClient(values: OptionValues, env: Record<string, string | undefined>, output: Output): DingrelayClient {
  const url = stringOption(values, 'url') ?? env['DINGRELAY_URL'] ?? DEFAULT_URL;
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_URL}, got "${url}"`);
  const timeoutSeconds = numberOption(values, 'timeout', { min: 0.1, max: 3600 }) ?? 30;
  return new DingrelayClient({
    baseUrl: url,
    apiKey: apiKey(values, env, output),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    userAgent: `dingrelay-cli/${CLI_VERSION}`,
    // The client's policy (reads and send retried after no answer, 429 or 502/503/504, with jitter), kept short
    // for a person at a terminal: two retries, and a Retry-After over 10 s is reported rather than waited out.
    retry: { retries: 2, maxDelayMs: 10_000 },
  });
}

function apiKey(values: OptionValues, env: Record<string, string | undefined>, output: Output): string {
  const file = stringOption(values, 'api-key-file') ?? env['DINGRELAY_API_KEY_FILE'];
  if (file !== undefined && file !== '') return readKeyFile(file, output);
  const key = env['DINGRELAY_API_KEY']?.trim();
  if (key) return key;
  throw new UsageError('no API key: give --api-key-file <file>, or set DINGRELAY_API_KEY_FILE or DINGRELAY_API_KEY');
}

function readKeyFile(file: string, output: Output): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    // Group or others may read the file: the key is as good as shared.
    if ((statSync(file).mode & 0o077) !== 0) output.warn(`${file} is readable by other users; chmod 600 it`);
  } catch (error) {
    throw new UsageError(`cannot read the API key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const key = text.trim();
  if (key === '' || /\s/.test(key)) throw new UsageError(`the API key file ${file} must hold the key alone on one line`);
  return key;
}
