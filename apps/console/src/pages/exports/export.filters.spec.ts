import { EXPORT_FILE_SPEC, exportPathFor, fileOf, withoutFiltersPrefix } from './export.filters';
import { parseFilters } from '../../hooks/use-url-filters';

describe('the export page in the URL', () => {
  it('carries a history view over: its filters, not its page token, and which export they belong to', () => {
    const history = new URLSearchParams('status=completed&chatConfiguration=ops&createdFrom=2026-12-01T00%3A00%3A00%2B08%3A00&page=tok123');
    expect(exportPathFor('sends', history)).toBe('/exports?export=sends&chatConfiguration=ops&status=completed&createdFrom=2026-12-01T00%3A00%3A00%2B08%3A00');
    const user = new URLSearchParams('userId=staff-9&status=failed&requester=x');
    // `requester` is no filter of a user's messages: it stays behind.
    expect(exportPathFor('recipients', user)).toBe('/exports?export=recipients&userId=staff-9&status=failed');
  });

  it('defaults to an Excel-ready CSV of sends, and never puts the BOM on NDJSON', () => {
    expect(fileOf({})).toEqual({ export: 'sends', format: 'csv', bom: true });
    expect(fileOf({ bom: 'false' })).toEqual({ export: 'sends', format: 'csv', bom: false });
    expect(fileOf({ export: 'recipients', format: 'ndjson', bom: 'true' })).toEqual({ export: 'recipients', format: 'ndjson', bom: false });
  });

  it('drops file settings the API would refuse', () => {
    expect(parseFilters(EXPORT_FILE_SPEC, new URLSearchParams('export=everything&format=xlsx&bom=yes'))).toEqual({});
  });

  it("names a link's filter problems as the filter form names its fields", () => {
    expect(withoutFiltersPrefix('filters.status')).toBe('status');
    expect(withoutFiltersPrefix('format')).toBe('format');
  });
});
