/**
 * Keeps the page shown while the next page of the same filters loads (no flash of an empty table), but never
 * shows one view's rows under another's filters, e.g. one user's messages under the next user's name.
 * Query keys are `[resource, filters, token]`.
 */
export function keepPreviousPageOfSameFilters<T>(previous: T | undefined, previousQuery: { queryKey: readonly unknown[] } | undefined, filters: unknown): T | undefined {
  if (!previousQuery) return undefined;
  return JSON.stringify(previousQuery.queryKey[1]) === JSON.stringify(filters) ? previous : undefined;
}
