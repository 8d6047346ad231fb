import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './closest-match.js';
import { UsageError } from './exit-codes.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  'api-key-file': { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies OptionSpecs;

export const GLOBAL_OPTIONS_HELP = `Global options:
  --url <url>             dingrelay's API (env DINGRELAY_URL; default http://127.0.0.1:3000)
  --api-key-file <file>   file holding the API key (env DINGRELAY_API_KEY_FILE, or the key in DINGRELAY_API_KEY)
  --json                  one JSON document on stdout; errors as JSON on stderr
  --timeout <seconds>     per request (default 30)
  -h, --help              help for the command
  --version               the CLI's version`;

/** Flags that would put a secret into shell history and `ps`; refused with the way to do it instead. */
const SECRET_FLAGS: Record<string, string> = {
  '--api-key': 'use --api-key-file <file> or the DINGRELAY_API_KEY environment variable',
  '--key': 'use --api-key-file <file> or the DINGRELAY_API_KEY environment variable',
  '--client-secret': 'use --client-secret-file <file> (or - for stdin)',
};

export function refuseSecretFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    const flag = arg.split('=')[0]!;
    const instead = SECRET_FLAGS[flag];
    if (instead) throw new UsageError(`${flag} is not accepted: a secret on the command line ends up in shell history and process listings; ${instead}`);
  }
}

/** The command word(s): positionals before any option, skipping the values of global string options. */
export function commandWords(argv: readonly string[], count: number): string[] {
  const words: string[] = [];
  const takesValue = new Set(Object.entries(GLOBAL_OPTIONS).filter(([, o]) => o.type === 'string').map(([n]) => `--${n}`));
  for (let i = 0; i < argv.length && words.length < count; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++;
      continue;
    }
    words.push(arg);
  }
  return words;
}

/**
 * node:util parseArgs with the global options added and its errors turned into usage errors; a mistyped flag is told
 * the nearest one the command takes.
 */
export function parseCommandArgs(argv: readonly string[], options: OptionSpecs): ParsedArgs {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS, ...options };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: all, allowPositionals: true, strict: true });
    return { values: values as OptionValues, positionals };
  } catch (error) {
    let message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    const unknown = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '(--[^'=]+)'/.exec(message)?.[1] : undefined;
    if (unknown) message += didYouMean(unknown, Object.keys(all).map((name) => `--${name}`));
    throw new UsageError(message);
  }
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Repeatable options, each also comma-separated: `--user a,b --user c` → a, b, c. */
export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return items.flatMap((item) => String(item).split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function integerOption(values: OptionValues, name: string, range: { min: number; max: number }): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}, got "${text}"`);
  }
  return value;
}

export function numberOption(values: OptionValues, name: string, range: { min: number; max: number }): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${name} must be a number from ${range.min} to ${range.max}, got "${text}"`);
  }
  return value;
}

export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[]): T | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new UsageError(`--${name} must be one of: ${choices.join(', ')}; got "${value}"`);
  return value as T;
}

export function jsonOption(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Exactly `count` positionals after the command words, named for the message. */
export function positionalArgs(positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  return [...positionals];
}
