import type { FilterField } from './use-url-filters';

/** Free text within an API parameter's length limit: a longer value would be a 400, so it is left out instead. */
export function boundedTextFilter(maxLength: number): FilterField<string> {
  return {
    parse: (raw) => {
      const value = raw.trim();
      return value === '' || value.length > maxLength ? undefined : value;
    },
    format: (value) => value,
  };
}
