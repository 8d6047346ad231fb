import { ApiErrorCode, type ApiErrorDetail } from '@dingrelay/contracts';

/**
 * A failure a caller can act on. Use-cases throw these with a public code; the API's exception filter is the one
 * place that maps codes to HTTP statuses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super(ApiErrorCode.NotFound, `${what} ${id} does not exist`);
  }
}

export class InvalidInputError extends DomainError {
  constructor(field: string, message: string) {
    super(ApiErrorCode.ValidationFailed, `Invalid ${field}: ${message}`, [{ field, message }]);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: ApiErrorDetail[] = []) {
    super(ApiErrorCode.Conflict, message, details);
  }
}

/** The thing existed, but what was asked of it is gone for good (e.g. recipient detail purged by retention). */
export class GoneError extends DomainError {
  constructor(message: string) {
    super(ApiErrorCode.Gone, message);
  }
}
