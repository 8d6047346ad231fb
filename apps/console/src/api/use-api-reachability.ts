import { DingrelayConnectionError } from '@dingrelay/contracts/client';
import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { isTransient } from './retry-policy';

export type Reachability = 'ok' | 'unreachable' | 'unavailable';

/**
 * Whether the API answers: 'unreachable' while any read's last failure was the network, 'unavailable' while one
 * failed with a 502/503/504/429 and is being retried; 'ok' otherwise. Drives the banner in the layout.
 */
export function useApiReachability(): Reachability {
  const queryCache = useQueryClient().getQueryCache();
  return useSyncExternalStore(
    (onChange) => queryCache.subscribe(onChange),
    () => {
      let state: Reachability = 'ok';
      for (const query of queryCache.getAll()) {
        const failure = query.state.fetchFailureReason;
        if (query.state.fetchFailureCount === 0 || !isTransient(failure)) continue;
        if (failure instanceof DingrelayConnectionError) return 'unreachable';
        state = 'unavailable';
      }
      return state;
    },
  );
}
