import type { FormInstance } from 'antd';
import { useEffect } from 'react';
import { fieldErrorsOf } from '../components/api-error.alert';

/**
 * A 400 for filters taken from the URL (a hand-edited or stale link) puts each field's problem next to the field it
 * came from; `formFieldOf` maps the API's parameter to the form's field (both ends of a range to the range). Errors
 * clear when the next answer comes without them.
 */
export function useFilterFieldErrors(form: FormInstance, error: unknown, formFieldOf: Record<string, string>) {
  useEffect(() => {
    const byField = new Map<string, string[]>();
    for (const [apiField, messages] of fieldErrorsOf(error)) {
      const field = formFieldOf[apiField];
      if (field) byField.set(field, [...(byField.get(field) ?? []), ...messages]);
    }
    form.setFields([...new Set(Object.values(formFieldOf))].map((name) => ({ name, errors: byField.get(name) ?? [] })));
  }, [error, form, formFieldOf]);
}
