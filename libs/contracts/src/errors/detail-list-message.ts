import type { ApiErrorDetail } from './api-error.js';

/**
 * class-validator keeps one message per constraint per property, but a msgParam or a userIds list can have many
 * problems at different paths. Constraints named here therefore write one detail per line, each line starting
 * with the detail's field path and a space (paths never contain whitespace, see field-path.ts), which reads well
 * as plain text and lets `toApiErrorDetails` split it back into details.
 */
export const DETAIL_LIST_CONSTRAINTS: ReadonlySet<string> = new Set(['isUserIdList', 'isMsgParamForMsgKey', 'isFiltersOfExport']);

export function encodeDetailList(details: readonly ApiErrorDetail[]): string {
  return details
    .map(({ field, message }) => (message.startsWith(`${field} `) ? message : `${field} ${message}`))
    .map((line) => line.replace(/\r?\n/g, ' '))
    .join('\n');
}

/**
 * Splits an encoded message back into details. `property` is the path segment of the decorated property as the
 * lines spell it; a line that does not start with it is kept whole under `fallbackField` instead of guessing.
 */
export function decodeDetailList(
  message: string,
  property: string,
  parentPath: string | undefined,
  fallbackField: string,
): ApiErrorDetail[] {
  return message
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      const local = space > 0 ? line.slice(0, space) : '';
      const belongs =
        local === property || local.startsWith(`${property}.`) || local.startsWith(`${property}[`);
      if (!belongs) return { field: fallbackField, message: line };
      const field = !parentPath ? local : local.startsWith('[') ? parentPath + local : `${parentPath}.${local}`;
      return { field, message: line };
    });
}
