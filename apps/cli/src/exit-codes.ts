import { type ApiErrorDetail, DingrelayApiError, DingrelayConnectionError } from '@dingrelay/contracts/client';

/** The CLI's exit codes; scripts depend on them, so they only ever grow. */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  /** Bad flags or arguments; nothing was asked of dingrelay. */
  Usage: 2,
  /** dingrelay refused the request (a 4xx other than 401/403): invalid input, unknown id, conflict, rate limit. */
  Rejected: 3,
  /** The key is missing, unknown, revoked or expired (401), or its role or scope does not allow the call (403). */
  Auth: 4,
  /** dingrelay could not be reached, timed out, or answered 5xx. */
  Unavailable: 5,
  /** `send --wait` / `status --wait`: the send finished, but not every recipient was delivered. */
  NotAllDelivered: 6,
  /** `send --wait` / `status --wait`: `--wait-timeout` ran out while the send was still delivering. */
  StillDelivering: 7,
  /** `audit verify`: a link of the audit chain is broken, or the digest's signature is invalid. */
  AuditChainBroken: 8,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem with how the CLI was called. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The fields at fault, when the problem is in the content of an option (e.g. a msgParam checked locally). */
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** An outcome that is not an error of the CLI but must still end with a given code (e.g. a send not fully delivered). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.Usage;
  if (error instanceof CliFailure) return error.exitCode;
  if (error instanceof DingrelayConnectionError) return ExitCode.Unavailable;
  if (error instanceof DingrelayApiError) {
    if (error.status === 401 || error.status === 403) return ExitCode.Auth;
    if (error.status >= 500) return ExitCode.Unavailable;
    if (error.status >= 400) return ExitCode.Rejected;
  }
  return ExitCode.Unexpected;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  unexpected error
  2  usage error (bad flags or arguments)
  3  request rejected by dingrelay (4xx other than 401/403: invalid input, unknown id, conflict, rate limit)
  4  authentication or permission (401/403)
  5  dingrelay unreachable or unavailable (connection error, timeout, 5xx)
  6  the send finished but not every recipient was delivered (send --wait, status --wait)
  7  the send was still delivering when --wait-timeout ran out (send --wait, status --wait)
  8  the audit chain is broken, or the digest's signature is invalid (audit verify)`;
