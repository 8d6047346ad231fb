import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A page's title, where it sits (breadcrumb), and its actions on the right. */
export function PageHeader({ title, breadcrumb, extra, subtitle }: { title: ReactNode; breadcrumb?: { title: ReactNode; to?: string }[]; extra?: ReactNode; subtitle?: ReactNode }) {
  return (
    <header style={{ marginBottom: 16 }}>
      {breadcrumb && breadcrumb.length > 0 && (
        <Breadcrumb items={breadcrumb.map((item) => ({ title: item.to ? <Link to={item.to}>{item.title}</Link> : item.title }))} />
      )}
      <Flex justify="space-between" align="center" wrap gap="middle">
        <div>
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && <Flex gap="small" wrap>{extra}</Flex>}
      </Flex>
    </header>
  );
}
