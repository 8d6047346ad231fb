import type { FormInstance } from 'antd';
import { fieldErrorsOf } from '../../components/api-error.alert';
import { formNameOf } from './configuration-form.mapping';

/**
 * Puts a 400's field problems next to the form fields they name (`configuration.clientId` on the Client ID field).
 * Returns the API fields no form field took, which the error alert above the form still lists.
 */
export function showApiFieldErrors(form: FormInstance, error: unknown, isFormField: (apiField: string) => boolean): string[] {
  const unplaced: string[] = [];
  const fields = [];
  for (const [field, errors] of fieldErrorsOf(error)) {
    if (isFormField(field)) fields.push({ name: formNameOf(field), errors });
    else unplaced.push(field);
  }
  if (fields.length > 0) form.setFields(fields);
  return unplaced;
}
