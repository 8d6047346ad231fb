/** The formats of `GET /v1/exports/…` (a module without validation decorators, for the API client). */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What can be exported, each with its own filters: `GET /v1/exports/sends` and `GET /v1/exports/recipients`. */
export const EXPORT_KINDS = ['sends', 'recipients'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The UTF-8 byte order mark a CSV export starts with on `bom=true`: how Excel knows the file is UTF-8 (中文 intact). */
export const UTF8_BOM = '\uFEFF';
