import { TOKEN_PATTERNS } from "./token-patterns.js";

/** Secrets shorter than this are not registered: redacting "abc" everywhere would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;
const REDACTED = "[REDACTED]";

interface SecretRegistry {
  readonly values: Set<string>;
}

/**
 * One registry per process, shared through a global symbol so that two copies of @switchyard/core (a
 * duplicated dependency) still redact each other's secrets.
 */
const REGISTRY_KEY = Symbol.for("switchyard.redaction.registry");

function registry(): SecretRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: SecretRegistry };
  holder[REGISTRY_KEY] ??= { values: new Set<string>() };
  return holder[REGISTRY_KEY];
}

/**
 * Registers a secret value so that it is removed from every error, log event and span from now on.
 * Credential providers call this for every value they hand out; call it yourself for secrets you pass in
 * some other way. Also registers the base64 form, because Basic auth headers carry secrets encoded.
 */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  const values = registry().values;
  values.add(value);
  values.add(Buffer.from(value, "utf8").toString("base64"));
  values.add(encodeURIComponent(value));
}

/** Forgets a secret (after rotation, so the set does not grow without bound). */
export function forgetSecret(value: string): void {
  const values = registry().values;
  values.delete(value);
  values.delete(Buffer.from(value, "utf8").toString("base64"));
  values.delete(encodeURIComponent(value));
}

/**
 * True when a text contains a registered secret or a known token shape. One pass over a whole serialized
 * result is much cheaper than redacting each of its strings, and almost every result contains none.
 */
export function mayContainSecret(text: string): boolean {
  for (const secret of registry().values) {
    if (text.includes(secret)) return true;
  }
  for (const { pattern } of TOKEN_PATTERNS) {
    pattern.lastIndex = 0;
    const found = pattern.test(text);
    pattern.lastIndex = 0;
    if (found) return true;
  }
  return false;
}

/** Removes registered secrets and known token shapes from a string. */
export function redactText(text: string): string {
  // Almost no string holds a secret: one read-only scan spares the sort and the copies below.
  if (!mayContainSecret(text)) return text;
  let result = text;
  // Longest first, so a secret that contains another registered secret is removed whole.
  const secrets = [...registry().values].sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  for (const { pattern, replacement } of TOKEN_PATTERNS) {
    result = result.replace(pattern, replacement);
  }
  return result;
}

const SECRET_KEY_PATTERN =
  /^(authorization|cookie|set-cookie|password|passwd|secret|client_secret|token|access_token|refresh_token|api_key|apikey|private_key|privatekey|x-api-key)$/i;

/**
 * Deep-copies a JSON-like value with every string redacted and values under secret-looking keys replaced.
 * Cycles and depth are bounded, so it is safe on arbitrary error payloads.
 */
export function redactValue<T>(value: T): T {
  return redactDeep(value, true, 0, new WeakSet());
}

/**
 * Redacts the strings of a tool result without changing its shape (keys are kept, so the result still matches
 * its schema): a registered secret or a pasted token never reaches the model.
 */
export function redactStrings<T>(value: T): T {
  return redactDeep(value, false, 0, new WeakSet());
}

function redactDeep<T>(value: T, byKey: boolean, depth: number, seen: WeakSet<object>): T {
  if (typeof value === "string") return redactText(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (depth > 64 || seen.has(value)) return (byKey ? "[…]" : value) as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, byKey, depth + 1, seen)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    copy[key] =
      byKey && SECRET_KEY_PATTERN.test(key) && entry != null
        ? REDACTED
        : redactDeep(entry, byKey, depth + 1, seen);
  }
  return copy as T;
}
