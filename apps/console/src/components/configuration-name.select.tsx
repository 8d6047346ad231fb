import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useSession } from '../auth/session.context';

/**
 * A chat configuration's name for a filter: those the key may read (the first 100 by name, every configuration of
 * any real deployment), or a sender's scope. A name from a bookmarked URL stays shown even when it is not listed
 * (it may have been deleted since).
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
  const { client, identity, permissions } = useSession();
  const names = useQuery({
    queryKey: ['chat-configurations', 'names'],
    queryFn: async () => (await client.listChatConfigurations({ maxResults: 100 })).items.map((item) => item.name),
    enabled: permissions.canReadConfigurations,
    staleTime: 60_000,
  });
  const listed = permissions.canReadConfigurations ? (names.data ?? []) : (identity.chatConfigurations ?? []);
  const options = [...new Set([...(value ? [value] : []), ...listed])].sort().map((name) => ({ value: name, label: name }));
  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      value={value}
      onChange={(next: string | undefined) => onChange?.(next)}
      options={options}
      placeholder={placeholder}
      loading={names.isLoading}
      allowClear
      showSearch
      style={{ width: '100%' }}
    />
  );
}
