import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { encodeDetailList } from '../errors/detail-list-message.js';
import { appendFieldPath } from '../errors/field-path.js';
import { isMsgKey, MSG_KEY_CATALOG } from '../messages/msg-key-catalog.js';
import { checkMsgParam } from '../messages/validate-msg-param.js';

function problems(args: ValidationArguments): ApiErrorDetail[] {
  const [msgKeyProperty] = args.constraints as [string];
  const msgKey: unknown = (args.object as Record<string, unknown>)[msgKeyProperty];
  // An unusable msgKey is reported on its own property; here only what can be judged without it.
  const definition = isMsgKey(msgKey) ? MSG_KEY_CATALOG[msgKey] : undefined;
  return checkMsgParam(definition, args.value, appendFieldPath(undefined, args.property));
}

/**
 * A msgParam object that satisfies the catalog rules of the msgKey held by the sibling property
 * `msgKeyProperty`, reporting every problem with its field path (see `toApiErrorDetails`).
 */
export function IsMsgParamForMsgKey(msgKeyProperty = 'msgKey', options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isMsgParamForMsgKey',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [msgKeyProperty],
      options,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problems(args).length === 0,
        defaultMessage: (args: ValidationArguments) => encodeDetailList(problems(args)),
      },
    });
  };
}
