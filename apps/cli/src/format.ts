/** `2026-11-21T13:38:18.123Z` → `2026-11-21 13:38:18Z`: readable in a table, still UTC and unambiguous. */
export function formatTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `{a: 1, b: 2}` → `a=1, b=2`; null when empty. */
export function formatMap(map: Record<string, unknown> | null | undefined): string | null {
  const entries = Object.entries(map ?? {});
  return entries.length === 0 ? null : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

/** A duration for a person: `42s`, `3m 05s`, `2h 03m`; under a second is `<1s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return '<1s';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
