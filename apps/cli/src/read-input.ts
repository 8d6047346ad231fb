import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes.js';

/** A file's text, or stdin's when the name is `-`. */
export async function readTextInput(name: string, stdin: NodeJS.ReadableStream, what: string): Promise<string> {
  if (name === '-') {
    let text = '';
    stdin.setEncoding('utf8');
    for await (const chunk of stdin) text += chunk as string;
    return text;
  }
  try {
    return await readFile(name, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * userIds from a file: a JSON array of strings, or one per line (commas also separate; blank lines and `#` comments
 * are skipped), so an export's column or a hand-written list both work.
 */
export function parseUserIdList(text: string, source: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`${source} looks like JSON but is not: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) throw new UsageError(`${source} must be a JSON array of userId strings`);
    return parsed as string[];
  }
  return trimmed
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '');
}
