import { registerDecorator, type ValidationOptions } from 'class-validator';
import { describeJsonType, quoteForMessage } from '../errors/field-path.js';

/** DingTalk locale keys look like `zh_CN`, `en_US`, `zh_TW`, `ja_JP` (language, underscore, region). */
export const I18N_LOCALE_PATTERN = /^[a-z]{2,3}_[A-Z]{2}$/;
export const MAX_I18N_LOCALES = 10;
/** A quick entry's label is a few words in the chat's input bar; DingTalk publishes no limit (spec §6.1). */
export const MAX_I18N_NAME_LENGTH = 64;

/** The first problem with an i18n name map, or undefined when it is valid. */
export function describeI18nNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `must be an object of locale to text such as {"zh_CN": "…", "en_US": "…"}, got ${describeJsonType(value)}`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return 'must name at least one locale';
  if (entries.length > MAX_I18N_LOCALES) return `must name at most ${MAX_I18N_LOCALES} locales, got ${entries.length}`;
  for (const [locale, text] of entries) {
    if (!I18N_LOCALE_PATTERN.test(locale)) {
      return `has locale ${quoteForMessage(locale)}, expected the form zh_CN or en_US`;
    }
    if (typeof text !== 'string') return `.${locale} must be a string, got ${describeJsonType(text)}`;
    if (text.trim() === '') return `.${locale} must not be empty`;
    if ([...text].length > MAX_I18N_NAME_LENGTH) {
      return `.${locale} must be at most ${MAX_I18N_NAME_LENGTH} characters, got ${[...text].length}`;
    }
  }
  return undefined;
}

/** An i18n label: `{ "zh_CN": "测试", "en_US": "test" }` with at least one locale and non-empty texts. */
export function IsI18nName(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isI18nName',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => describeI18nNameProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'name'} ${describeI18nNameProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}
