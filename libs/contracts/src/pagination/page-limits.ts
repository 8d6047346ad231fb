/** Page sizes of every keyset listing (a module without validation decorators, for the API client). */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
