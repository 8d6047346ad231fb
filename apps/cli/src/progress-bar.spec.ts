import { progressReporter } from './progress-bar.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 120, write: (text: string) => writes.push(text) > 0 };
}

describe('progress', () => {
  it('redraws one line in place on a terminal and ends it with a newline', () => {
    const tty = stream(true);
    const progress = progressReporter(tty, { silent: false });
    progress.update(0, 1000, '');
    progress.update(520, 1000, 'delivered 500 · invalid 20');
    progress.finish();
    expect(tty.writes[1]).toBe(`\r\x1b[2K[${'█'.repeat(12)}${'░'.repeat(12)}]  52%  520/1,000  delivered 500 · invalid 20`);
    expect(tty.writes.at(-1)).toBe('\n');
  });

  it('shows the ETA after the counts, before the note (a narrow terminal cuts the note first)', () => {
    const tty = { ...stream(true), columns: 60 };
    const progress = progressReporter(tty, { silent: false });
    progress.update(520, 1000, 'delivered 500 · invalid 20', 'ETA 1m 05s');
    expect(tty.writes[0]).toBe(`\r\x1b[2K[${'█'.repeat(12)}${'░'.repeat(12)}]  52%  520/1,000  ETA 1m 05s  del`);
    const pipe = stream(false);
    progressReporter(pipe, { silent: false }).update(520, 1000, 'delivered 500', 'ETA 1m 05s');
    expect(pipe.writes).toEqual(['progress: 520/1,000 ETA 1m 05s delivered 500\n']);
  });

  it('writes plain lines elsewhere, at most one per interval and only when something changed', () => {
    const pipe = stream(false);
    let now = 0;
    const progress = progressReporter(pipe, { silent: false, intervalMs: 5_000, now: () => now });
    progress.update(10, 100, 'delivered 10');
    now = 1_000;
    progress.update(20, 100, 'delivered 20');
    now = 6_000;
    progress.update(20, 100, 'delivered 20');
    now = 12_000;
    progress.update(20, 100, 'delivered 20');
    expect(pipe.writes).toEqual(['progress: 10/100 delivered 10\n', 'progress: 20/100 delivered 20\n']);
  });

  it('stays silent in --json mode', () => {
    const tty = stream(true);
    const progress = progressReporter(tty, { silent: true });
    progress.update(1, 2, '');
    progress.finish();
    expect(tty.writes).toEqual([]);
  });
});
