/** Query parameters as the API reads them: absent and null values left out, lists repeated, everything else as text. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export function toQueryString(params: object | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, QueryValue>)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
