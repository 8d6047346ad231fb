const NEEDS_QUOTES = /[",\r\n]/;

/** First characters that make a spreadsheet evaluate a cell as a formula (or a DDE payload): = + - @ tab CR. */
function startsLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. Text a spreadsheet
 * would run as a formula gets a leading `'`, so an exported userId or reason like `=HYPERLINK(…)` stays text.
 * Only text is neutralised: numbers are ours (counts), never negative.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = startsLikeFormula(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. Written as a loop: it runs once per exported row. */
export function csvRecord(values: readonly unknown[]): string {
  let line = values.length ? csvCell(values[0]) : '';
  for (let i = 1; i < values.length; i++) line += `,${csvCell(values[i])}`;
  return `${line}\r\n`;
}
