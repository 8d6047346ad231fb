import type { Resource } from 'i18next';
import type { Language } from './languages';

/**
 * Every locale file at once: `locales/<language>/<namespace>.json`. A page's strings live in its own namespace so
 * pages stay independent; `locale-completeness.spec.ts` fails when one language lacks a key the other has. For tests
 * only: the running console loads each file when it is needed (locale-files.backend.ts).
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });

export const NAMESPACES = [...new Set(Object.keys(files).map((path) => namespaceOf(path)))].sort();

function namespaceOf(path: string): string {
  return path.split('/').pop()!.replace(/\.json$/, '');
}

export const resources: Resource = Object.entries(files).reduce<Resource>((all, [path, module]) => {
  const language = path.split('/')[2] as Language;
  all[language] = { ...all[language], [namespaceOf(path)]: module.default };
  return all;
}, {});
