import type { EntityManager } from 'typeorm';
import { InvalidInputError } from '../errors/domain.error.js';

/**
 * Refuses a sender scope naming a configuration that does not exist (`"*"`, a typo, `"' OR 1=1--"`): the first
 * unknown name, as `chatConfigurations[i]`. `defaultConfiguration` counts as existing: it is the deployment's default,
 * whose row the API and worker create at their first start (a key may be issued before that, e.g. by the CLI).
 *
 * Checked once, when the key is issued. A configuration deleted later stays in the scopes that name it: the key can no
 * longer send through it (no such configuration), still reads the sends made through it, and applies again to a
 * configuration re-created under that name.
 */
export async function assertScopeExists(
  manager: EntityManager,
  scope: readonly string[],
  defaultConfiguration: string | undefined,
): Promise<void> {
  const rows: { name: string }[] = await manager.query(`SELECT name FROM chat_configurations WHERE name = ANY($1::text[])`, [[...scope]]);
  const known = new Set(rows.map((r) => r.name));
  if (defaultConfiguration !== undefined) known.add(defaultConfiguration);
  const unknown = scope.findIndex((name) => !known.has(name));
  if (unknown >= 0) {
    throw new InvalidInputError(
      `chatConfigurations[${unknown}]`,
      `no chat configuration is named ${JSON.stringify(scope[unknown])}; a sender key may only name existing configurations`,
    );
  }
}
