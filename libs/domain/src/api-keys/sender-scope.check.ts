import type { EntityManager } from 'typeorm';
import { InvalidInputError } from '../errors/domain.error.js';

/**
 * Refuses a sender scope naming a configuration that does not exist (`"*"`, a typo, `"' OR 1=1--"`): the first
 * unknown name, as `chatConfigurations[i]`. `defaultConfiguration` counts as existing: it is the deployment's default,
 * whose row the API and worker create at their first start (a key may be issued before that, e.g. by the CLI).
 *
 * The configurations named are share-locked until the key's transaction ends: a delete of one waits for the key to be
 * stored and then takes the name out of its scope, or this check waits for the delete and finds no such configuration.
 * Either way no key keeps the name of a deleted configuration, so none applies to one re-created under that name
 * (DeleteChatConfigurationUseCase removes it from every scope; migration 1765300000001 did so for older keys). The
 * default's name is the exception while no row has it: a key issued for it before the first start keeps it.
 */
export async function assertScopeExists(
  manager: EntityManager,
  scope: readonly string[],
  defaultConfiguration: string | undefined,
): Promise<void> {
  const rows: { name: string }[] = await manager.query(`SELECT name FROM chat_configurations WHERE name = ANY($1::text[]) FOR SHARE`, [[...scope]]);
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
