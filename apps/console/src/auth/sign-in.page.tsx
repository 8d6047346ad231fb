import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiErrorAlert } from '../components/api-error.alert';
import { changeLanguage } from '../i18n/i18n';
import { isLanguage, LANGUAGES } from '../i18n/languages';
import { useSessionState } from './session.context';

/** Only paths inside the console are followed after sign-in (no open redirect through `next`). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The key is pasted, checked with the API, and kept for this tab only. */
export function SignInPage() {
  const { t, i18n } = useTranslation('signin');
  const { session, signIn, signOutReason } = useSessionState();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (session) return <Navigate to={next} replace />;

  const submit = async ({ apiKey }: { apiKey: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(apiKey);
      navigate(next, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 24 }}>
      <Card style={{ width: '100%', maxWidth: 440 }}>
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <div>
            <Typography.Title level={2} style={{ marginBottom: 4 }}>
              {t('title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
          </div>
          {signOutReason === 'key-rejected' && <Alert type="warning" showIcon role="alert" title={t('keyRejected')} />}
          {signOutReason === 'signed-out' && <Alert type="info" showIcon role="status" title={t('signedOut')} />}
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item
              label={t('apiKey')}
              name="apiKey"
              extra={t('apiKeyHelp')}
              rules={[
                { required: true, message: t('apiKeyRequired') },
                { pattern: /^\s*drk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\s*$/, message: t('apiKeyMalformed') },
              ]}
            >
              <Input.Password prefix={<KeyOutlined />} autoComplete="off" placeholder="drk_…" autoFocus />
            </Form.Item>
            {error !== null && <ApiErrorAlert error={error} className="sign-in-error" />}
            <Button type="primary" htmlType="submit" block loading={busy} style={{ marginTop: 16 }}>
              {t('submit')}
            </Button>
          </Form>
          <Segmented
            aria-label={t('common:language')}
            size="small"
            value={i18n.language}
            options={LANGUAGES.map((language) => ({ value: language, label: t(`nav:languages.${language}`) }))}
            onChange={(value) => isLanguage(value) && changeLanguage(i18n, value)}
          />
        </Space>
      </Card>
    </main>
  );
}
