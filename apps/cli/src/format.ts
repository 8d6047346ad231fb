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
