import type { ProgressStream } from './progress-bar.js';

export interface CliIo {
  stdout: { write(text: string | Uint8Array): boolean; once?(event: 'drain', listener: () => void): unknown; isTTY?: boolean };
  stderr: ProgressStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/**
 * Where results go: in `--json` mode exactly one JSON document on stdout (and errors as JSON on stderr); otherwise
 * the text a person reads. Notes (hints, next-page tokens) go to stderr so stdout stays the result alone.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  result(data: unknown, text: () => string): void {
    this.io.stdout.write(this.json ? `${JSON.stringify(data, null, 2)}\n` : text());
  }

  note(text: string): void {
    if (!this.json) this.io.stderr.write(`${text}\n`);
  }

  /** Warnings show in both modes: a script's log should still say the key file is readable by others. */
  warn(text: string): void {
    this.io.stderr.write(this.json ? `${JSON.stringify({ warning: text })}\n` : `dingrelay: warning: ${text}\n`);
  }
}
