import { DingrelayApiError, DingrelayConnectionError } from '@dingrelay/contracts/client';
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The error codes the console explains in the user's language; any other shows the API's own message. */
const EXPLAINED = new Set([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'GONE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'DINGTALK_REJECTED',
  'DINGTALK_UNAVAILABLE',
]);

/**
 * Any failure of an API call, as the user should see it: what went wrong in their language, the API's own message
 * and field problems, and the request id (copyable) to quote to an operator.
 */
export function ApiErrorAlert({ error, className }: { error: unknown; className?: string }) {
  const { t } = useTranslation('common');
  if (error instanceof DingrelayApiError) {
    const title = EXPLAINED.has(error.code) ? t(`errors.${error.code}`) : t('errors.other', { status: error.status });
    return (
      <Alert
        className={className}
        type={error.status >= 500 ? 'error' : 'warning'}
        showIcon
        role="alert"
        title={title}
        description={
          <>
            <div>{error.message}</div>
            {error.details.length > 0 && (
              <ul>
                {error.details.map((detail) => (
                  <li key={`${detail.field}:${detail.message}`}>
                    <Typography.Text code>{detail.field}</Typography.Text> {detail.message}
                  </li>
                ))}
              </ul>
            )}
            {error.requestId && (
              <div>
                {t('errors.requestId')}{' '}
                <Typography.Text copyable={{ text: error.requestId }} code data-testid="request-id">
                  {error.requestId}
                </Typography.Text>
              </div>
            )}
          </>
        }
      />
    );
  }
  const message = error instanceof DingrelayConnectionError ? t('errors.unreachable') : error instanceof Error ? error.message : String(error);
  return <Alert className={className} type="error" showIcon role="alert" title={message} />;
}

/** Field problems of a 400, keyed by the request's field path, for `Form.setFields`. */
export function fieldErrorsOf(error: unknown): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  if (!(error instanceof DingrelayApiError)) return fields;
  for (const { field, message } of error.details) fields.set(field, [...(fields.get(field) ?? []), message]);
  return fields;
}
