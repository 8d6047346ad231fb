import { type ApiErrorCode, type ApiErrorDetail } from '@dingrelay/contracts';

/** An error raised by the HTTP layer itself (validation, routing); the filter renders it like a DomainError. */
export class ApiException extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiException';
  }
}
