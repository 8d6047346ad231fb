/**
 * SQL, true when the send aliased `send` went through the configuration that has its name now: the same configuration
 * id (or, for a send recorded without one, no configuration of that name at all, as with a pinned one). False when
 * the send's configuration was deleted since, whether or not another was created under its name: that one's keys,
 * history, Idempotency-Keys and credentials are not this send's (issue #13, finding 9c).
 *
 * One definition for every reader: sender scopes, the Idempotency-Key lookup, recall, read-status refresh and the
 * `chatConfigurationDeleted` flag of the send views. One lookup of the unique name index per send.
 */
export function sentThroughCurrentConfiguration(send: string): string {
  return `${send}.chat_configuration_id IS NOT DISTINCT FROM (SELECT cc.id FROM chat_configurations cc WHERE cc.name = ${send}.chat_configuration)`;
}
