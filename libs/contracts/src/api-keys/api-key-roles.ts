/**
 * `admin` may do everything; `sender` creates, cancels and recalls sends and reads them, through the chat
 * configurations it is scoped to only; `auditor` reads history, exports, the audit log and usage, and never sends.
 * (A module without validation decorators, so the API client can use it without loading class-validator.)
 */
export const API_KEY_ROLES = ['admin', 'sender', 'auditor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
