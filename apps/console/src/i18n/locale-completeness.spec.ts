import { LANGUAGES } from './languages';
import { NAMESPACES, resources } from './resources';

/** Every key path of a nested locale object, e.g. `errors.NOT_FOUND`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function valueAt(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

describe('locale files', () => {
  it('have the same namespaces in every language', () => {
    expect(NAMESPACES.length).toBeGreaterThanOrEqual(3);
    for (const language of LANGUAGES) expect(Object.keys(resources[language] ?? {}).sort()).toEqual(NAMESPACES);
  });

  it.each(NAMESPACES)('%s: every key of one language is in the other, with a non-empty text', (namespace) => {
    const [zh, en] = LANGUAGES.map((language) => resources[language]?.[namespace]);
    const zhKeys = keyPaths(zh).sort();
    const enKeys = keyPaths(en).sort();
    expect({ missingInZhCN: enKeys.filter((k) => !zhKeys.includes(k)), missingInEnUS: zhKeys.filter((k) => !enKeys.includes(k)) }).toEqual({
      missingInZhCN: [],
      missingInEnUS: [],
    });
    for (const language of LANGUAGES) {
      for (const key of keyPaths(resources[language]?.[namespace])) {
        const text = valueAt(resources[language]?.[namespace], key);
        expect({ language, key, ok: typeof text === 'string' && text.trim() !== '' }).toEqual({ language, key, ok: true });
      }
    }
  });

  it('keep interpolation placeholders the same across languages', () => {
    for (const namespace of NAMESPACES) {
      const [zh, en] = LANGUAGES.map((language) => resources[language]?.[namespace]);
      for (const key of keyPaths(en)) {
        const placeholders = (text: unknown) => [...String(text).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
        expect({ namespace, key, placeholders: placeholders(valueAt(zh, key)) }).toEqual({ namespace, key, placeholders: placeholders(valueAt(en, key)) });
      }
    }
  });
});
