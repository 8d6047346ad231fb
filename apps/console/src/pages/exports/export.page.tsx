import { DingrelayApiError, type ExportKind } from '@dingrelay/contracts/client';
import { useQuery } from '@tanstack/react-query';
import { Card, Segmented, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { PageHeader } from '../../components/page-header';
import { formatFilters, parseFilters } from '../../hooks/use-url-filters';
import { SendHistoryForm } from '../sends/send-history.form';
import { SendHistoryTable } from '../sends/send-history.table';
import { UserMessagesForm } from '../users/user-messages.form';
import { UserMessagesTable } from '../users/user-messages.table';
import { ExportDownloadCard } from './export-download.card';
import { EXPORT_FILE_SPEC, EXPORT_FILTER_SPECS, type ExportFilters, fileOf, withoutFiltersPrefix } from './export.filters';

/** Rows of the preview: enough to see that the filters are the intended ones. */
const PREVIEW_ROWS = 10;

/**
 * A download of every send or every message matching the filters, as CSV (Excel-ready) or NDJSON. The history pages'
 * "Export" buttons open it with their filters; the whole view is in the URL.
 */
export default function ExportPage() {
  const { t } = useTranslation('exports');
  const [params, setParams] = useSearchParams();
  // Memoized on the URL: the filter forms reset themselves when the filters they are given change identity.
  const file = useMemo(() => fileOf(parseFilters(EXPORT_FILE_SPEC, params)), [params]);
  const kind = file.export;
  const filters = useMemo<ExportFilters[ExportKind]>(
    () => (kind === 'sends' ? parseFilters(EXPORT_FILTER_SPECS.sends, params) : parseFilters(EXPORT_FILTER_SPECS.recipients, params)),
    [kind, params],
  );
  // The link's field problems (`filters.status`) shown under the form's fields (`status`).
  const [linkError, setLinkError] = useState<unknown>(null);

  const write = (next: { export?: ExportKind; format?: 'csv' | 'ndjson'; bom?: boolean; filters?: object }) => {
    const nextKind = next.export ?? kind;
    // Filters carry over only within the same export; each export has its own.
    const nextFilters = next.filters ?? (nextKind === kind ? filters : {});
    const query =
      nextKind === 'sends'
        ? formatFilters(EXPORT_FILTER_SPECS.sends, nextFilters as ExportFilters['sends'])
        : formatFilters(EXPORT_FILTER_SPECS.recipients, nextFilters as ExportFilters['recipients']);
    query.set('export', nextKind);
    const format = next.format ?? file.format;
    query.set('format', format);
    if (format === 'csv') query.set('bom', String(next.bom ?? file.bom));
    setLinkError(null);
    setParams(query);
  };

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Segmented<ExportKind>
              aria-label={t('kind.label')}
              value={kind}
              onChange={(value) => write({ export: value })}
              options={[
                { value: 'sends', label: t('kind.sends') },
                { value: 'recipients', label: t('kind.recipients') },
              ]}
            />
            <Typography.Text type="secondary">{t(`kind.${kind}Hint`)}</Typography.Text>
            {kind === 'sends' ? (
              <SendHistoryForm filters={filters as ExportFilters['sends']} onSearch={(next) => write({ filters: next })} error={fieldErrorsOfLink(linkError)} />
            ) : (
              <UserMessagesForm filters={filters as ExportFilters['recipients']} onSearch={(next) => write({ filters: next })} error={fieldErrorsOfLink(linkError)} />
            )}
          </Space>
        </Card>
        <ExportDownloadCard
          kind={kind}
          filters={filters}
          format={file.format}
          bom={file.bom}
          onFileChange={(next) => write(next)}
          onError={setLinkError}
        />
        <ExportPreview kind={kind} filters={filters} />
      </Space>
    </>
  );
}

/** The first rows the export will hold, newest first, as the history pages show them. */
function ExportPreview({ kind, filters }: { kind: ExportKind; filters: ExportFilters[ExportKind] }) {
  const { t } = useTranslation('exports');
  const userId = kind === 'recipients' ? (filters as ExportFilters['recipients']).userId : undefined;
  return (
    <Card title={t('preview.title')} extra={<Typography.Text type="secondary">{t('preview.hint', { rows: PREVIEW_ROWS })}</Typography.Text>}>
      {kind === 'sends' ? (
        <SendsPreview filters={filters as ExportFilters['sends']} />
      ) : userId === undefined ? (
        // Every user's messages export fine, but the history API pages one user at a time: no preview then.
        <Typography.Text type="secondary">{t('preview.allUsers')}</Typography.Text>
      ) : (
        <MessagesPreview filters={{ ...(filters as ExportFilters['recipients']), userId }} />
      )}
    </Card>
  );
}

function SendsPreview({ filters }: { filters: ExportFilters['sends'] }) {
  const { client } = useSession();
  const preview = useQuery({ queryKey: ['export-preview', 'sends', filters], queryFn: () => client.listSends({ ...filters, maxResults: PREVIEW_ROWS }) });
  return (
    <>
      {preview.isError && <ApiErrorAlert error={preview.error} />}
      <SendHistoryTable items={preview.data?.items ?? []} loading={preview.isFetching} />
    </>
  );
}

function MessagesPreview({ filters }: { filters: ExportFilters['recipients'] & { userId: string } }) {
  const { client } = useSession();
  const preview = useQuery({ queryKey: ['export-preview', 'recipients', filters], queryFn: () => client.listUserRecipients({ ...filters, maxResults: PREVIEW_ROWS }) });
  return (
    <>
      {preview.isError && <ApiErrorAlert error={preview.error} />}
      <UserMessagesTable items={preview.data?.items ?? []} loading={preview.isFetching} />
    </>
  );
}

/** The link's 400 with its `filters.` prefixes taken off, as the filter forms name their fields. */
function fieldErrorsOfLink(error: unknown): unknown {
  if (!(error instanceof DingrelayApiError)) return null;
  return new DingrelayApiError({
    status: error.status,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    details: error.details.map((detail) => ({ ...detail, field: withoutFiltersPrefix(detail.field) })),
    method: error.method,
    path: error.path,
  });
}
