import { DingrelayApiError } from '@dingrelay/contracts/client';
import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/api-error.alert';

/**
 * Why a quick-entry call failed, in words an operator can act on: the robot disabled or the configuration not
 * usable (409), DingTalk refusing the call (422, DingTalk's own code in the details below), or DingTalk busy or the
 * app's pace full (503, with the wait the API gave). The API's error, details and request id follow.
 */
export function PluginsErrorExplanation({ error }: { error: unknown }) {
  const { t } = useTranslation('configurations');
  let explanation: string | null = null;
  if (error instanceof DingrelayApiError) {
    if (error.status === 409) explanation = t('plugins.errors.conflict');
    else if (error.status === 422) explanation = t('plugins.errors.rejected');
    else if (error.status === 503) {
      explanation =
        error.retryAfterSeconds === null
          ? t('plugins.errors.unavailable')
          : t('plugins.errors.unavailableRetry', { seconds: error.retryAfterSeconds });
    }
  }
  return (
    <Flex vertical gap="small" data-testid="plugins-error">
      {explanation && <Typography.Paragraph style={{ margin: 0 }}>{explanation}</Typography.Paragraph>}
      <ApiErrorAlert error={error} />
    </Flex>
  );
}
