import { choiceFilter, formatFilters, instantFilter, parseFilters, textFilter, type FilterSpec } from './use-url-filters';

interface Filters {
  chatConfiguration?: string;
  status?: 'completed' | 'cancelled';
  createdFrom?: string;
}
const spec: FilterSpec<Filters> = { chatConfiguration: textFilter, status: choiceFilter(['completed', 'cancelled']), createdFrom: instantFilter };

describe('filters in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const filters: Filters = { chatConfiguration: 'ops-robot', status: 'cancelled', createdFrom: '2026-12-01T00:00:00+08:00' };
    const query = formatFilters(spec, filters).toString();
    expect(query).toBe('chatConfiguration=ops-robot&status=cancelled&createdFrom=2026-12-01T00%3A00%3A00%2B08%3A00');
    expect(parseFilters(spec, new URLSearchParams(query))).toEqual(filters);
  });

  it('leaves out what the API would refuse, and empty values, instead of sending them', () => {
    const params = new URLSearchParams('chatConfiguration=%20%20&status=exploded&createdFrom=2026-13-45&page=abc&other=1');
    expect(parseFilters(spec, params)).toEqual({});
  });

  it('keeps no page token: new filters start from the first page', () => {
    expect(formatFilters(spec, { status: 'completed' }).has('page')).toBe(false);
    expect(formatFilters(spec, { chatConfiguration: '' }).toString()).toBe('');
  });

  it('takes instants with an offset or Z, not without one', () => {
    expect(instantFilter.parse('2026-12-01T00:00:00Z')).toBe('2026-12-01T00:00:00Z');
    expect(instantFilter.parse('2026-12-01T00:00:00.123-05:00')).toBe('2026-12-01T00:00:00.123-05:00');
    expect(instantFilter.parse('2026-12-01T00:00:00')).toBeUndefined();
    expect(instantFilter.parse('2026-12-01')).toBeUndefined();
  });
});
