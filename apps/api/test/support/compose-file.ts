import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@dingrelay/testing';

/**
 * docker/docker-compose.yml read just far enough for the docker suite: each service's text with the `<<: *anchor`
 * blocks it merges spliced in, and `KEY: value` lookups with `${VAR:-default}` resolved to the default. The repo has
 * no YAML parser as a dependency, and `docker-compose config` (which resolves the file fully) is not installed on
 * every machine the tests run on; CI validates the file with it separately (.ci/run). This reader fails loudly on a
 * shape it does not know rather than guessing.
 */
export interface ComposeService {
  name: string;
  text: string;
  /** The value of `key:` in this service (or a block it merges), `${VAR:-default}` resolved; undefined when absent. */
  value(key: string): string | undefined;
}

export const COMPOSE_FILE = join(REPO_ROOT, 'docker/docker-compose.yml');

export function readComposeServices(file = COMPOSE_FILE): Map<string, ComposeService> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const topLevel = splitBlocks(lines, /^([A-Za-z][\w-]*):(?:\s*&([\w-]+))?\s*$/);
  const anchors = new Map<string, string[]>();
  for (const block of topLevel) if (block.anchor) anchors.set(block.anchor, block.body);
  const services = topLevel.find((b) => b.name === 'services');
  if (!services) throw new Error(`${file}: no top-level services:`);

  const result = new Map<string, ComposeService>();
  for (const service of splitBlocks(services.body, /^ {2}([A-Za-z][\w-]*):\s*$/)) {
    const text = splice(service.body, anchors, `${file} service ${service.name}`).join('\n');
    result.set(service.name, { name: service.name, text, value: (key) => valueOf(text, key) });
  }
  return result;
}

interface Block {
  name: string;
  anchor?: string;
  body: string[];
}

function splitBlocks(lines: string[], header: RegExp): Block[] {
  const blocks: Block[] = [];
  for (const line of lines) {
    const match = header.exec(line);
    if (match) blocks.push({ name: match[1]!, anchor: match[2], body: [] });
    else blocks.at(-1)?.body.push(line);
  }
  return blocks;
}

/** Replaces each `<<: *name` line by the anchored block's lines (recursively), so lookups see merged keys. */
function splice(body: string[], anchors: Map<string, string[]>, where: string): string[] {
  return body.flatMap((line) => {
    const merge = /^\s*<<:\s*\*([\w-]+)\s*$/.exec(line);
    if (!merge) return [line];
    const anchored = anchors.get(merge[1]!);
    if (!anchored) throw new Error(`${where}: merges *${merge[1]}, which is not a top-level anchor this reader knows`);
    return splice(anchored, anchors, where);
  });
}

function valueOf(text: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The last occurrence wins, as in YAML where a service's own key overrides a merged one written before it.
  const matches = [...text.matchAll(new RegExp(`^\\s+${escaped}:[ \\t]*(.*)$`, 'gm'))];
  const raw = matches.at(-1)?.[1]?.trim();
  if (raw === undefined) return undefined;
  const unquoted = raw.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  return unquoted.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}
