import { DownloadOutlined } from '@ant-design/icons';
import type { ExportKind } from '@dingrelay/contracts/client';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Flex, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { DateTime } from '../../components/date-time';
import type { ExportFilters } from './export.filters';

/**
 * Hands the export to the browser's own download manager: dingrelay gives a one-time link (the API key never goes in
 * a URL), and the browser streams the file straight to disk with its own progress bar, however many rows there are.
 */
function startDownload(url: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = '';
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

export interface ExportDownloadCardProps<K extends ExportKind> {
  kind: K;
  filters: ExportFilters[K];
  format: 'csv' | 'ndjson';
  bom: boolean;
  onFileChange: (file: { format: 'csv' | 'ndjson'; bom: boolean }) => void;
  /** The link's refusal, for the filter form to show its field problems under the fields. */
  onError: (error: unknown) => void;
}

export function ExportDownloadCard<K extends ExportKind>({ kind, filters, format, bom, onFileChange, onError }: ExportDownloadCardProps<K>) {
  const { t } = useTranslation('exports');
  const { client, permissions } = useSession();
  const download = useMutation({
    mutationFn: () =>
      client.createExportLink(
        format === 'csv'
          ? ({ export: kind, filters, format, bom } as Parameters<typeof client.createExportLink>[0])
          : ({ export: kind, filters, format } as Parameters<typeof client.createExportLink>[0]),
      ),
    onSuccess: (link) => {
      onError(null);
      startDownload(link.url);
    },
    onError,
  });

  return (
    <Card title={t('file.title')}>
      <Flex vertical gap="middle">
        <Radio.Group
          aria-label={t('file.format')}
          value={format}
          onChange={(event) => onFileChange({ format: event.target.value as 'csv' | 'ndjson', bom })}
          options={[
            { value: 'csv', label: t('file.csv') },
            { value: 'ndjson', label: t('file.ndjson') },
          ]}
        />
        <Checkbox checked={format === 'csv' && bom} disabled={format !== 'csv'} onChange={(event) => onFileChange({ format, bom: event.target.checked })}>
          {t('file.bom')}
        </Checkbox>
        <Typography.Text type="secondary">{t(format === 'csv' ? (bom ? 'file.bomHint' : 'file.noBomHint') : 'file.ndjsonHint')}</Typography.Text>
        <div>
          <Button type="primary" icon={<DownloadOutlined />} loading={download.isPending} disabled={!permissions.canReadRecords} onClick={() => download.mutate()}>
            {t('file.download')}
          </Button>
        </div>
        {!permissions.canReadRecords && <Alert type="info" showIcon title={t('file.notAllowed')} />}
        {download.isError && <ApiErrorAlert error={download.error} />}
        {download.isSuccess && (
          <Alert
            type="success"
            showIcon
            role="status"
            title={t('file.started')}
            description={
              <>
                {t('file.startedHint')} <DateTime value={download.data.expiresAt} />
              </>
            }
          />
        )}
      </Flex>
    </Card>
  );
}
