import { EXPORT_FORMATS, type ExportDownload } from '@dingrelay/contracts/client';
import { writeExportToFile } from '@dingrelay/contracts/node';
import { choiceOption, positionalArgs, stringOption } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { formatBytes, formatCount } from '../format.js';
import { HISTORY_FILTER_OPTIONS, HISTORY_FILTERS_HELP, recipientFilters, rejectForeignFilters, sendFilters } from '../history-options.js';
import { progressReporter, type ProgressReporter } from '../progress-bar.js';
import { renderFields } from '../table.js';

const NEWLINE = 0x0a;

/** Passes the bytes through, counting them and the lines (rows) they end. */
async function* counted(body: AsyncIterable<Uint8Array>, tally: { bytes: number; lines: number }, onChunk: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    tally.bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === NEWLINE) tally.lines++;
    onChunk();
    yield chunk;
  }
}

/** Writes to stdout at the pace it drains (a pipe into another program may be slower than the export). */
async function toStdout(stdout: CommandContext['io']['stdout'], body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of body) {
    if (!stdout.write(chunk) && stdout.once) await new Promise<void>((resolve) => stdout.once!('drain', resolve));
  }
}

function exportCommand(view: 'sends' | 'recipients'): Command {
  return {
    words: ['export', view],
    summary:
      view === 'sends' ? 'Every matching send as one streamed CSV or NDJSON file' : 'Every matching recipient row (one user or all) as CSV or NDJSON',
    help: `Usage: dingrelay export ${view} [--format csv|ndjson] [--output <file>] [filters]

Streams the export (constant memory however many rows) to stdout, or to --output: written as <file>.partial and
renamed when complete, so an export cut short never leaves a file that looks whole. Progress (bytes, rows) shows on
stderr when it is a terminal. With --json, --output is required and a summary {format, file, bytes, rows} is printed.

Options:
  --format <csv|ndjson>   default csv
  --output <file>         write to this file instead of stdout
${HISTORY_FILTERS_HELP}`,
    options: { ...HISTORY_FILTER_OPTIONS, format: { type: 'string' }, output: { type: 'string' } },
    async run({ values, args, io, output, client }) {
      positionalArgs(args, []);
      const foreign = rejectForeignFilters(values, view);
      if (foreign) throw new UsageError(`--${foreign} is not a filter of export ${view}`);
      const format = choiceOption(values, 'format', EXPORT_FORMATS) ?? 'csv';
      const file = stringOption(values, 'output');
      if (output.json && !file) throw new UsageError('--json prints a summary of the written file: give --output <file>, or drop --json to stream the export to stdout');
      const download: ExportDownload =
        view === 'sends' ? await client().exportSends(sendFilters(values), format) : await client().exportRecipients(recipientFilters(values), format);
      const tally = { bytes: 0, lines: 0 };
      // Rows printed to the same terminal would be garbled by a progress line between them.
      const quiet = output.json || (!file && io.stdout.isTTY === true);
      const progress: ProgressReporter = progressReporter(io.stderr, { silent: quiet });
      const rows = () => (format === 'csv' ? Math.max(0, tally.lines - 1) : tally.lines);
      const body = counted(download.body, tally, () => progress.status(`exporting ${view}: ${formatBytes(tally.bytes)} · ${formatCount(rows())} rows`));
      try {
        if (file) await writeExportToFile({ body }, file);
        else await toStdout(io.stdout, body);
      } finally {
        progress.finish();
      }
      if (!file) return;
      const summary = { format, file, bytes: tally.bytes, rows: rows() };
      output.result(summary, () => renderFields([['file', file], ['format', format], ['bytes', formatBytes(tally.bytes)], ['rows', formatCount(rows())]]));
    },
  };
}

export const exportSendsCommand = exportCommand('sends');
export const exportRecipientsCommand = exportCommand('recipients');
