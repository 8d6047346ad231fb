import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/session.context';

/** How often a send still moving is read again: often enough to watch it, rarely enough not to load the API. */
export const LIVE_REFRESH_MS = 2_000;

/** Whether the send is still changing by itself: delivering, or a recall the worker is working through. */
export function isLive(send: SendStatusResponse | undefined): boolean {
  if (!send) return false;
  return send.status === 'accepted' || send.status === 'delivering' || (send.recall !== null && send.recall.completedAt === null);
}

/** Everything cached about one send starts with this key: a change to the send invalidates all of it. */
export const sendKey = (id: string) => ['send', id] as const;

/** `watching`: read again meanwhile anyway, e.g. for the moments after read status was asked of DingTalk. */
export function useSendQuery(id: string, watching = false) {
  const { client } = useSession();
  return useQuery({
    queryKey: sendKey(id),
    queryFn: () => client.getSend(id),
    refetchInterval: (query) => (watching || isLive(query.state.data) ? LIVE_REFRESH_MS : false),
  });
}

/** How long the page keeps reading a send after a read status refresh: the worker's polls answer within seconds. */
export const WATCH_AFTER_REFRESH_MS = 15_000;
