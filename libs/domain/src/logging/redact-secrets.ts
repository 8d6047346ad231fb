/**
 * Removes secrets from anything about to be logged: every message, every field, every error stack. Two kinds of
 * protection, because neither is enough alone:
 *
 * - **Shapes** recognised wherever they appear: dingrelay API keys (`drk_<prefix>_<secret>` keeps its non-secret
 *   prefix), `Bearer` / `Basic` credentials, passwords inside connection URLs, export download links' tokens, `key=value` / `"key": "value"` pairs and
 *   object fields whose key looks secret (appSecret, clientSecret, password, aesKey, token, accessToken,
 *   authorization, DingTalk's `x-acs-dingtalk-access-token` header, …).
 * - **Literal values** registered at run time by the code that holds them (decrypted configuration secrets, DingTalk
 *   access tokens, secrets from the environment): caught even in free text with no recognisable shape.
 */

export const REDACTED = '******';

/** Values shorter than this are never registered: redacting "abc" everywhere would mangle ordinary text. */
const MIN_LITERAL_LENGTH = 6;
/** Oldest registered values are forgotten past this many (access tokens rotate every two hours, for ever). */
const MAX_LITERALS = 2_000;
const MAX_DEPTH = 8;

/** Object keys whose values are secrets, compared lower-cased without `-` and `_`. */
const SECRET_KEYS = new Set([
  'secret',
  'appsecret',
  'clientsecret',
  'password',
  'passwd',
  'aeskey',
  'encodingaeskey',
  'token',
  'accesstoken',
  'callbacktoken',
  'refreshtoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'apikey',
  'xacsdingtalkaccesstoken',
  'dingtalkclientsecret',
  'dingtalkappsecret',
  'secretencryptionkeys',
  'bootstrapadminapikey',
]);

const SECRET_KEY_PATTERN =
  'x-acs-dingtalk-access-token|(?:dingtalk_?)?(?:app|client)_?secret|secret_encryption_keys|bootstrap_admin_api_key|' +
  'encoding_?aes_?key|aes_?key|callback_?token|access_?token|refresh_?token|api_?key|password|passwd|secret|token|' +
  'authorization';

interface TextRule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

const TEXT_RULES: readonly TextRule[] = [
  // dingrelay API keys: the prefix identifies a key and is not secret; the rest is.
  { pattern: /\bdrk_([0-9a-f]{12})_[A-Za-z0-9_-]+/g, replace: `drk_$1_${REDACTED}` },
  { pattern: /\bdrk_(?![0-9a-f]{12}_)[A-Za-z0-9_-]{6,}/g, replace: `drk_${REDACTED}` },
  // HTTP credentials in headers or text.
  { pattern: /\b(Bearer)([ \t]+)(?!realm\b|drk_[0-9a-f]{12}_\*)[A-Za-z0-9._~+/=-]+/gi, replace: `$1$2${REDACTED}` },
  { pattern: /\b(Basic)([ \t]+)[A-Za-z0-9+/=]{8,}/gi, replace: `$1$2${REDACTED}` },
  // A download link's token is its path's last segment (`/v1/exports/downloads/<token>`): whoever reads it can download.
  { pattern: /(\/exports\/downloads\/)[A-Za-z0-9_-]+/g, replace: `$1${REDACTED}` },
  // user:password@ in any URL (postgres://, redis://, https://).
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, replace: `$1${REDACTED}@` },
  // key=value, key: value, "key": "value", 'key'='value' for secret-looking keys (query strings, headers, JSON, code).
  {
    pattern: new RegExp(
      `(^|[^A-Za-z0-9])((?:${SECRET_KEY_PATTERN})(?:["']?)[ \\t]*[:=][ \\t]*)("[^"]*"|'[^']*'|[^\\s"',;&}\\]]+)`,
      'gi',
    ),
    replace: (_match, before: string, key: string, value: string) => {
      const quote = value.startsWith('"') || value.startsWith("'") ? value[0]! : '';
      // An already-redacted value, or an auth scheme whose credential the rules above took care of, is left alone.
      const bare = quote ? value.slice(1, -1) : value;
      if (bare === REDACTED || /^(?:Bearer|Basic)$/i.test(bare) || /^drk_[0-9a-f]{12}_\*+$/.test(bare)) return `${before}${key}${value}`;
      return `${before}${key}${quote}${REDACTED}${quote}`;
    },
  },
];

/** Literal secrets known to this process, longest first so a secret containing another is replaced whole. */
const literals = new Set<string>();
let literalsByLength: string[] = [];

/**
 * Makes `value` (a decrypted secret, an access token, a key from the environment) disappear from every later log
 * line of this process. Short or empty values are ignored. Safe to call repeatedly with the same value.
 */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < MIN_LITERAL_LENGTH || literals.has(value)) return;
  literals.add(value);
  if (literals.size > MAX_LITERALS) literals.delete(literals.values().next().value as string);
  literalsByLength = [...literals].sort((a, b) => b.length - a.length);
}

/**
 * The secrets of this process's configuration (the environment, or the app's validated config object with the same
 * names) that must never be logged, also in parts: each encryption key, the password of each connection URL.
 */
export function registerEnvironmentSecrets(config: object): void {
  const env = config as Record<string, unknown>;
  const text = (name: string) => (typeof env[name] === 'string' ? (env[name] as string) : undefined);
  registerSecret(text('DINGTALK_APP_SECRET'));
  registerSecret(text('BOOTSTRAP_ADMIN_API_KEY'));
  registerSecret(text('AUDIT_DIGEST_KEY'));
  const keys = text('SECRET_ENCRYPTION_KEYS');
  if (keys) {
    registerSecret(keys);
    for (const entry of keys.split(',')) {
      const material = entry.slice(entry.indexOf(':') + 1).trim();
      registerSecret(material);
    }
  }
  for (const name of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'REDIS_URL']) {
    const url = text(name);
    if (!url) continue;
    try {
      registerSecret(decodeURIComponent(new URL(url).password));
    } catch {
      // Not a URL: the config validation says so; nothing to register.
    }
  }
}

/** Free text with every recognised secret replaced by `******`. */
export function redactText(text: string): string {
  let out = text;
  for (const literal of literalsByLength) {
    if (out.includes(literal)) out = out.split(literal).join(REDACTED);
  }
  for (const rule of TEXT_RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  }
  return out;
}

/** Whether an object key names a secret (`appSecret`, `client_secret`, `X-Acs-Dingtalk-Access-Token`, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * A copy of `value` safe to log: strings are redacted as text, values under secret-looking keys are replaced whole,
 * errors become `{ name, message, stack, code?, cause? }` (redacted), and objects and arrays are walked (to a depth of
 * 8; cycles become "[Circular]"). Never throws and never mutates its input.
 */
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint' || typeof value === 'symbol') return value.toString();
    if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
    return value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value, depth, seen);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Map) return redactEntries([...value.entries()].map(([k, v]) => [String(k), v]), depth, seen);
    if (value instanceof Set) return [...value].map((item) => redactValue(item, depth + 1, seen));
    return redactEntries(Object.entries(value), depth, seen);
  } catch {
    return '[Unloggable]';
  } finally {
    seen.delete(value);
  }
}

function redactEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    out[key] = isSecretKey(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return out;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactText(error.message) };
  for (const [key, item] of Object.entries(error)) {
    // Own properties can be large structures (ioredis puts the command and its arguments on its errors): primitives only.
    if (key === 'cause' || key === 'message' || key === 'stack') continue;
    if (item === null || typeof item !== 'object') out[key] = isSecretKey(key) ? REDACTED : redactValue(item, depth + 1, seen);
  }
  if (error.stack) out.stack = redactText(error.stack);
  if (error.cause !== undefined) out.cause = redactValue(error.cause, depth + 1, seen);
  return out;
}
