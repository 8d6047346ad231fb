import { ExportOutlined } from '@ant-design/icons';
import type { ExportKind } from '@dingrelay/contracts/client';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../auth/session.context';
import { exportPathFor } from './export.filters';

/** "Export" on a history page: the export page with the filters of the view on screen (every row, not one page). */
export function ExportViewButton({ kind }: { kind: ExportKind }) {
  const { t } = useTranslation('exports');
  const { permissions } = useSession();
  const [params] = useSearchParams();
  // Exports are an admin's and an auditor's; a sender's history page has no such button.
  if (!permissions.canReadRecords) return null;
  return (
    <Link to={exportPathFor(kind, params)}>
      <Button icon={<ExportOutlined />}>{t('exportView')}</Button>
    </Link>
  );
}
