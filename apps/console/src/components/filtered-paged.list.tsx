import { Card, Space } from 'antd';
import type { ReactNode } from 'react';
import type { useKeysetPage } from '../hooks/use-keyset-page';
import { ApiErrorAlert } from './api-error.alert';
import { KeysetPager } from './keyset-pager';

/**
 * A list page's body: its filter bar, then either the query's error or the list (`children`) with its keyset pager.
 * A refused query shows the error alone, not an empty table saying nothing matched.
 */
export function FilteredPagedList({
  filterBar,
  query,
  pager,
  children,
}: {
  filterBar: ReactNode;
  query: { isError: boolean; error: unknown; isFetching: boolean; data?: { nextToken?: string | null } };
  pager: ReturnType<typeof useKeysetPage>;
  children: ReactNode;
}) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">{filterBar}</Card>
      {query.isError && <ApiErrorAlert error={query.error} />}
      {!query.isError && (
        <Card size="small">
          {children}
          <KeysetPager pager={pager} nextToken={query.data?.nextToken} loading={query.isFetching} />
        </Card>
      )}
    </Space>
  );
}
