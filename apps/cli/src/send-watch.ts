import { type DingrelayClient, DingrelayWaitTimeoutError, isSendFinished, type SendStatusResponse } from '@dingrelay/contracts/client';
import { numberOption, type OptionSpecs, type OptionValues } from './args.js';
import { CliFailure, ExitCode, UsageError } from './exit-codes.js';
import { formatCount, formatDuration } from './format.js';
import type { ProgressReporter } from './progress-bar.js';

/** The options `send` and `status` take to follow a send to its end. */
export const WAIT_OPTIONS = {
  wait: { type: 'boolean' },
  interval: { type: 'string' },
  'wait-timeout': { type: 'string' },
} as const satisfies OptionSpecs;

export const WAIT_OPTIONS_HELP = `  --wait                     wait until the send finishes (progress on stderr); exit 6 unless every recipient was delivered
  --interval <seconds>       how often --wait polls (default 1)
  --wait-timeout <seconds>   give up waiting after this long: print the progress so far and exit 7 (default: no limit)`;

export interface WaitSettings {
  intervalMs: number;
  /** Undefined: wait as long as the send takes. */
  timeoutMs?: number;
}

export function waitSettings(values: OptionValues): WaitSettings {
  if (!values['wait'] && values['wait-timeout'] !== undefined) throw new UsageError('--wait-timeout limits --wait; add --wait');
  const intervalMs = (numberOption(values, 'interval', { min: 0.1, max: 3600 }) ?? 1) * 1000;
  const timeoutSeconds = numberOption(values, 'wait-timeout', { min: 0.1, max: 7 * 24 * 3600 });
  return { intervalMs, timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000 };
}

/** Recipients in a terminal status, for the bar. */
export function settledCount(send: SendStatusResponse): number {
  return send.recipients.total - send.recipients.pending;
}

/** `delivered 500 · invalid 20`: the non-zero terminal counts. */
export function outcomeNote(send: SendStatusResponse): string {
  const { total: _total, pending: _pending, ...settled } = send.recipients;
  return Object.entries(settled)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${formatCount(n)}`)
    .join(' · ');
}

/** `ETA 3m 05s` from the API's estimate (`progress.estimatedCompletionAt`); undefined when it gives none. */
export function etaNote(send: SendStatusResponse, now: number = Date.now()): string | undefined {
  const at = send.progress.estimatedCompletionAt;
  if (at === null) return undefined;
  return `ETA ${formatDuration(Math.max(0, Date.parse(at) - now))}`;
}

/**
 * Follows the send with the client's `waitForSend`, showing progress and the API's ETA, and resolves with its final
 * status; with a timeout, resolves with the status read when it ran out (polled at the deadline, so it is current).
 */
export async function watchSend(
  client: DingrelayClient,
  id: string,
  progress: ProgressReporter,
  { intervalMs, timeoutMs }: WaitSettings,
): Promise<SendStatusResponse> {
  try {
    return await client.waitForSend(id, {
      pollIntervalMs: intervalMs,
      timeoutMs,
      onProgress: (send) => progress.update(settledCount(send), send.recipients.total, outcomeNote(send), etaNote(send)),
    });
  } catch (error) {
    if (error instanceof DingrelayWaitTimeoutError) return error.send;
    throw error;
  } finally {
    progress.finish();
  }
}

/** Every recipient delivered: what `--wait` exits 0 for. */
export function fullyDelivered(send: SendStatusResponse): boolean {
  return send.recipients.delivered === send.recipients.total;
}

/**
 * After `--wait` printed the send's status: exit 7 when it is still delivering (the wait timed out), 6 when it
 * finished without every recipient delivered, else return (exit 0).
 */
export function checkWaitOutcome(send: SendStatusResponse): void {
  if (!isSendFinished(send)) {
    throw new CliFailure(
      `send ${send.id} is still ${send.status} after --wait-timeout: ${settledCount(send)} of ${send.recipients.total} recipients settled; ` +
        `follow it with: dingrelay status ${send.id} --wait`,
      ExitCode.StillDelivering,
    );
  }
  if (!fullyDelivered(send)) {
    throw new CliFailure(`send ${send.id} ${send.status}: ${send.recipients.delivered} of ${send.recipients.total} recipients delivered`, ExitCode.NotAllDelivered);
  }
}
