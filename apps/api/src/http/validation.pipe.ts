import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { ApiErrorCode, toApiErrorDetails } from '@dingrelay/contracts';
import { ApiException } from './api.exception.js';
import { findInputShapeProblem } from './input-shape.js';

/**
 * The global pipe: unknown fields are errors (not silently dropped), query strings are converted to the declared
 * types, and every problem is reported with its field path in the one error shape.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const details = toApiErrorDetails(errors);
        // Each detail's message already starts with its field path.
        const summary = details.slice(0, 3).map((d) => d.message).join('; ');
        return new ApiException(400, ApiErrorCode.ValidationFailed, `Invalid request: ${summary}`, details);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Before any field rule: what would make validation itself or the database fail (see input-shape.ts).
    if (metadata.type !== 'custom') {
      const problem = findInputShapeProblem(value, metadata.type === 'body' ? undefined : metadata.data);
      if (problem) throw new ApiException(400, ApiErrorCode.ValidationFailed, `Invalid request: ${problem.message}`, [problem]);
    }
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ApiException(400, ApiErrorCode.ValidationFailed, 'Request body must be a JSON object', [
        { field: '(body)', message: 'must be a JSON object' },
      ]);
    }
    return super.transform(value, metadata);
  }
}
