// Formatting of the benchmark's results: the summary table, the machine and settings, and per-scenario details.

const fmt = {
  int: (n) => (n === undefined || n === null || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US')),
  s: (n) => (n === undefined || n === null || Number.isNaN(n) ? '–' : n.toFixed(n < 10 ? 2 : 1)),
};
export { fmt };

/** Renders rows (arrays of cells) as a plain-text table; `align` per column: 'l' or 'r'. */
export function table(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const cell = (text, i) => (align[i] === 'r' ? String(text).padStart(widths[i]) : String(text).padEnd(widths[i]));
  const line = (cells) => cells.map(cell).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** The summary: scenario, recipients, seconds, recipients/s, throttles, notes. */
export function summaryTable(results) {
  const rows = results.map((r) => [
    r.label,
    fmt.int(r.recipients),
    r.error ? 'FAILED' : fmt.s(r.seconds),
    r.error ? '–' : fmt.int(r.recipientsPerSecond),
    r.throttles === undefined ? '–' : fmt.int(r.throttles),
    r.error ? `error: ${r.error.split('\n')[0]}` : r.notes.join('; '),
  ]);
  return table(['scenario', 'recipients', 'seconds', 'recipients/s', 'throttles', 'notes'], rows, ['l', 'r', 'r', 'r', 'r', 'l']);
}

/** Where the CPU went and what Postgres sessions waited on, one block per scenario. */
export function details(results) {
  const out = [];
  for (const r of results) {
    if (!r.cpu && !r.pgWaits) continue;
    out.push(`${r.label}:`);
    if (r.cpu) {
      const groups = Object.entries(r.cpu.byGroup)
        .filter(([, v]) => v.cpuSeconds > 0.05)
        .sort((a, b) => b[1].cores - a[1].cores)
        .map(([k, v]) => `${k} ${v.cores.toFixed(2)}`)
        .join(', ');
      const busy = r.cpu.machineBusyShare === undefined ? '' : `machine ${(r.cpu.machineBusyShare * 100).toFixed(0)}% busy; `;
      const other = r.cpu.otherCores === undefined ? '' : `; anything else ${r.cpu.otherCores.toFixed(2)}`;
      out.push(`  CPU cores used (over ${r.cpu.wallSeconds}s): ${busy}${groups}${other}`);
    }
    if (r.pgWaits?.averageSessions?.length) {
      const top = r.pgWaits.averageSessions
        .slice(0, 6)
        .map((w) => `${w.key} ${w.sessions}`)
        .join(', ');
      out.push(`  Postgres sessions of the bench database (average over ${r.pgWaits.samples} samples): ${top}`);
    }
    if (r.pgWaits?.lockHolders?.length) {
      const top = r.pgWaits.lockHolders
        .slice(0, 5)
        .map((w) => `${w.key} ${w.sessions}`)
        .join(', ');
      out.push(`  ...the sessions they wait for (average per sample): ${top}`);
    }
    if (r.extra) for (const line of r.extra) out.push(`  ${line}`);
  }
  return out.join('\n');
}
