import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.context';

/** Names listed at once; typing searches dingrelay for names starting with the text (the list API's `name`). */
const NAMES_PER_SEARCH = 100;

/**
 * A chat configuration's name for a filter: those the key may read, searched by prefix as the user types (a
 * deployment may have more than one page of them), or a sender's scope, filtered locally. A name from a bookmarked URL
 * stays shown even when it is not listed (it may have been deleted since).
 */
export function ConfigurationNameSelect({
  id,
  value,
  onChange,
  placeholder,
  ariaLabel,
}: {
  id?: string;
  /** Its name when no form label names it. */
  ariaLabel?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
}) {
  const { t } = useTranslation('common');
  const { client, identity, permissions } = useSession();
  const [search, setSearch] = useState('');
  const prefix = search.trim();
  const searched = useQuery({
    queryKey: ['chat-configurations', 'names', prefix],
    queryFn: async () => {
      const page = await client.listChatConfigurations({ maxResults: NAMES_PER_SEARCH, ...(prefix ? { name: prefix } : {}) });
      return { names: page.items.map((item) => item.name), more: page.nextToken !== null };
    },
    enabled: permissions.canReadConfigurations,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const fromServer = permissions.canReadConfigurations;
  const listed = fromServer ? (searched.data?.names ?? []) : (identity.chatConfigurations ?? []);
  const options = [...new Set([...(value ? [value] : []), ...listed])].sort().map((name) => ({ value: name, label: name }));
  const more = fromServer && searched.data?.more === true;
  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      value={value}
      onChange={(next: string | undefined) => {
        setSearch('');
        onChange?.(next);
      }}
      options={options}
      popupRender={(menu) =>
        more ? (
          <>
            {menu}
            <Typography.Text type="secondary" style={{ display: 'block', padding: '4px 12px' }}>
              {t('configurationSelect.typeToSearch', { count: NAMES_PER_SEARCH })}
            </Typography.Text>
          </>
        ) : (
          menu
        )
      }
      placeholder={placeholder}
      loading={searched.isFetching}
      allowClear
      showSearch
      // dingrelay already answered with the names starting with the text; a sender's few names are filtered here.
      filterOption={fromServer ? false : (input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
      onSearch={fromServer ? setSearch : undefined}
      style={{ width: '100%' }}
    />
  );
}
