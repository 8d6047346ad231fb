import { type ValidationOptions, registerDecorator } from 'class-validator';
import { quoteForMessage } from '../errors/field-path.js';
import { isIanaTimeZone } from './time-zone.js';

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) =>
          `${args.property} must be an IANA time zone name (Area/Location) such as Asia/Shanghai, or UTC` +
          (typeof args.value === 'string' ? `, got ${quoteForMessage(args.value)}` : ''),
        ...options,
      },
      validator: { validate: isIanaTimeZone },
    });
}
