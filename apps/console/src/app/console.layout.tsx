import { LogoutOutlined, TranslationOutlined } from '@ant-design/icons';
import { Alert, Button, Layout, Menu, Segmented, Space, Tag, theme, Tooltip, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useApiReachability } from '../api/use-api-reachability';
import { useSession, useSessionState } from '../auth/session.context';
import { changeLanguage } from '../i18n/i18n';
import { isLanguage, LANGUAGES } from '../i18n/languages';
import { ROUTES } from './routes';

/** Side menu, a header with who is signed in, the language switch and sign-out, and the API's reachability banner. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation('nav');
  const { identity, permissions } = useSession();
  const { signOut } = useSessionState();
  const { token } = theme.useToken();
  const location = useLocation();
  const reachability = useApiReachability();

  const items = useMemo(
    () =>
      ROUTES.filter((route) => route.menu && route.allowed(permissions)).map((route) => ({
        key: route.path,
        icon: route.menu!.icon,
        label: <Link to={route.path}>{t(route.menu!.key)}</Link>,
      })),
    [permissions, t],
  );
  const selected = [...items].sort((a, b) => b.key.length - a.key.length).find((item) => item.key === '/' ? location.pathname === '/' : location.pathname.startsWith(item.key));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={208} style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}>
        <div style={{ padding: `${token.paddingMD}px ${token.paddingLG}px` }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            dingrelay
          </Typography.Title>
          <Typography.Text type="secondary">{t('tagline')}</Typography.Text>
        </div>
        <nav aria-label={t('menu')}>
          <Menu mode="inline" items={items} selectedKeys={selected ? [selected.key] : []} style={{ borderInlineEnd: 'none' }} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: `0 ${token.paddingLG}px`,
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Space size="middle">
            <Space size="small" aria-label={t('signedInAs')}>
              <Typography.Text strong data-testid="identity-name">{identity.name}</Typography.Text>
              <Tag color={identity.role === 'admin' ? 'gold' : identity.role === 'auditor' ? 'blue' : 'green'} data-testid="identity-role">
                {t(`common:roles.${identity.role}`)}
              </Tag>
            </Space>
            <Tooltip title={t('language')}>
              <TranslationOutlined aria-hidden />
            </Tooltip>
            <Segmented
                aria-label={t('language')}
                size="small"
                value={i18n.language}
                options={LANGUAGES.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
                onChange={(value) => isLanguage(value) && changeLanguage(i18n, value)}
              />
            <Button icon={<LogoutOutlined />} onClick={() => signOut()}>
              {t('signOut')}
            </Button>
          </Space>
        </Layout.Header>
        {reachability !== 'ok' && (
          <Alert banner type="warning" role="status" title={t(reachability === 'unreachable' ? 'banner.unreachable' : 'banner.unavailable')} />
        )}
        <Layout.Content style={{ padding: token.paddingLG }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
