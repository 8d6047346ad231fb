import {
  AuditOutlined,
  BarChartOutlined,
  DashboardOutlined,
  ExportOutlined,
  KeyOutlined,
  MessageOutlined,
  RobotOutlined,
  SendOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { lazy } from 'react';
import type { Permissions } from '../auth/permissions';

/**
 * Every page of the console: its path under /console, its menu entry (a `nav` string key; none for pages reached
 * by link), who may open it, and the page itself, loaded on first visit so the first screen carries only its own code.
 */
export interface ConsoleRoute {
  path: string;
  menu?: { key: string; icon: React.ReactNode };
  /** Whether the menu offers the page to this key (the API still decides what it shows). */
  allowed: (permissions: Permissions) => boolean;
  Page: React.LazyExoticComponent<React.ComponentType>;
}

const everyone = () => true;
const records = (p: Permissions) => p.canReadRecords;
const configurations = (p: Permissions) => p.canReadConfigurations;
const admins = (p: Permissions) => p.canAdminister;

export const ROUTES: ConsoleRoute[] = [
  { path: '/', menu: { key: 'overview', icon: <DashboardOutlined /> }, allowed: everyone, Page: lazy(() => import('../pages/overview/overview.page')) },
  { path: '/sends', menu: { key: 'sends', icon: <SendOutlined /> }, allowed: everyone, Page: lazy(() => import('../pages/sends/send-history.page')) },
  { path: '/sends/:id', allowed: everyone, Page: lazy(() => import('../pages/sends/send-detail.page')) },
  { path: '/users', menu: { key: 'users', icon: <UserOutlined /> }, allowed: everyone, Page: lazy(() => import('../pages/users/user-messages.page')) },
  { path: '/exports', menu: { key: 'exports', icon: <ExportOutlined /> }, allowed: records, Page: lazy(() => import('../pages/exports/export.page')) },
  { path: '/audit', menu: { key: 'audit', icon: <AuditOutlined /> }, allowed: records, Page: lazy(() => import('../pages/audit/audit-log.page')) },
  { path: '/inbound', menu: { key: 'inbound', icon: <MessageOutlined /> }, allowed: records, Page: lazy(() => import('../pages/inbound/inbound-messages.page')) },
  { path: '/usage', menu: { key: 'usage', icon: <BarChartOutlined /> }, allowed: records, Page: lazy(() => import('../pages/usage/usage.page')) },
  { path: '/configurations', menu: { key: 'configurations', icon: <RobotOutlined /> }, allowed: configurations, Page: lazy(() => import('../pages/configurations/configuration-list.page')) },
  { path: '/configurations/new', allowed: configurations, Page: lazy(() => import('../pages/configurations/configuration-create.page')) },
  { path: '/configurations/:name', allowed: configurations, Page: lazy(() => import('../pages/configurations/configuration-detail.page')) },
  { path: '/api-keys', menu: { key: 'apiKeys', icon: <KeyOutlined /> }, allowed: admins, Page: lazy(() => import('../pages/api-keys/api-keys.page')) },
];
