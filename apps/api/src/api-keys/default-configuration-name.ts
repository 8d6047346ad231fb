/**
 * Injection token: the name of the deployment's default chat configuration (a string). A sender key may be scoped to
 * it before its row exists; every other name in a scope must be an existing configuration.
 */
export const DEFAULT_CONFIGURATION_NAME = Symbol('DEFAULT_CONFIGURATION_NAME');
