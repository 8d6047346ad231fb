import { formatCount } from './format.js';

export interface ProgressStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/**
 * A one-line bar redrawn in place on a terminal (`\r` and erase-line), e.g.
 * `[██████████░░░░░░░░░░]  52%  520/1,000  ETA 1m 05s  delivered 500 · invalid 20`.
 */
export class ProgressBar {
  private drawn = false;

  constructor(private readonly stream: ProgressStream) {}

  /** `eta`: when the API expects the rest to be done (`ETA 1m 05s`), shown before the note so a narrow terminal keeps it. */
  update(done: number, total: number, note = '', eta?: string): void {
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(ratio * width);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
    const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
    let line = `${bar} ${percent}  ${formatCount(done)}/${formatCount(total)}${eta ? `  ${eta}` : ''}${note ? `  ${note}` : ''}`;
    // A terminal that reports no size (0 columns, e.g. a fresh pseudo-terminal) is treated as a wide one.
    const columns = this.stream.columns || 100;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** A line for what has no total (an export's bytes or rows). */
  status(text: string): void {
    this.stream.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }

  /** Leaves the last state on screen and moves to the next line. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/**
 * How progress is shown: a bar on a terminal, a plain line at most every `intervalMs` elsewhere (logs, CI), nothing
 * when silent (`--json`).
 */
export interface ProgressReporter {
  update(done: number, total: number, note: string, eta?: string): void;
  status(text: string): void;
  finish(): void;
}

export function progressReporter(stream: ProgressStream, mode: { silent: boolean; intervalMs?: number; now?: () => number }): ProgressReporter {
  if (mode.silent) return { update: () => undefined, status: () => undefined, finish: () => undefined };
  if (stream.isTTY) return new ProgressBar(stream);
  const now = mode.now ?? Date.now;
  const intervalMs = mode.intervalMs ?? 5_000;
  let lastAt = -Infinity;
  let last = '';
  const say = (line: string) => {
    if (line === last || now() - lastAt < intervalMs) return;
    stream.write(`${line}\n`);
    last = line;
    lastAt = now();
  };
  return {
    update: (done, total, note, eta) => say(`progress: ${formatCount(done)}/${formatCount(total)}${eta ? ` ${eta}` : ''}${note ? ` ${note}` : ''}`),
    status: (text) => say(text),
    finish: () => undefined,
  };
}
