import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { PAGE_PARAM } from './use-url-filters';

/**
 * Keyset paging kept in the URL: `?page=<nextToken>` is the page shown, so a page can be bookmarked and reloaded.
 * The tokens of the pages before it travel in the history entry's state, so "previous" works within a visit
 * (the API's tokens only go forward).
 */
export function useKeysetPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const token = params.get(PAGE_PARAM) ?? undefined;
  const trail = useMemo(() => (location.state as { pageTrail?: (string | null)[] } | null)?.pageTrail ?? [], [location.state]);

  const go = useCallback(
    (next: string | null, nextTrail: (string | null)[]) => {
      const search = new URLSearchParams(params);
      if (next === null) search.delete(PAGE_PARAM);
      else search.set(PAGE_PARAM, next);
      navigate({ pathname: location.pathname, search: search.toString() }, { state: { pageTrail: nextTrail } });
    },
    [location.pathname, navigate, params],
  );

  return {
    /** The token of the page shown; undefined on the first page. */
    token,
    /** Page number within this visit (1 for the first page). */
    pageNumber: trail.length + 1,
    hasPrevious: token !== undefined,
    next: useCallback((nextToken: string) => go(nextToken, [...trail, token ?? null]), [go, trail, token]),
    previous: useCallback(() => go(trail.at(-1) ?? null, trail.slice(0, -1)), [go, trail]),
    first: useCallback(() => go(null, []), [go]),
  };
}
