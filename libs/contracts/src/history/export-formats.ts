/** The formats of `GET /v1/exports/…` (a module without validation decorators, for the API client). */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
