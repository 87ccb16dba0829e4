import { ConnectorError } from "../errors/connector-error.js";

/**
 * A list of allowed targets written as simple globs (`acme/*`, `acme/api`, `#ops-*`, `public`): `*` matches
 * any run of characters except `/`. Matching is case-insensitive, as GitHub, Slack and Jira names are. An
 * absent or empty allowlist allows everything.
 */
export interface Allowlist {
  /** The patterns as configured; empty when everything is allowed. */
  readonly patterns: readonly string[];
  readonly restricts: boolean;
  allows(target: string): boolean;
  /** Throws `permission_denied` naming the target and the allowlist when it is not allowed. */
  assert(target: string, what: string): void;
}

function toRegExp(pattern: string): RegExp {
  const escaped = pattern
    .trim()
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
  return new RegExp(`^${escaped}$`, "i");
}

export function createAllowlist(
  patterns: readonly string[] | undefined,
  settingName = "allowlist",
): Allowlist {
  const cleaned = (patterns ?? []).map((pattern) => pattern.trim()).filter((pattern) => pattern.length > 0);
  const expressions = cleaned.map(toRegExp);
  const allows = (target: string) =>
    expressions.length === 0 || expressions.some((regexp) => regexp.test(target));
  return {
    patterns: cleaned,
    restricts: cleaned.length > 0,
    allows,
    assert(target, what) {
      if (allows(target)) return;
      throw new ConnectorError({
        code: "permission_denied",
        message: `${what} "${target}" is outside this connector's ${settingName} (${cleaned.join(", ")}).`,
        hint: `Only these are reachable: ${cleaned.join(", ")}. Do not retry with the same target.`,
        notApplied: true,
      });
    },
  };
}

/** Reads a comma- or whitespace-separated allowlist from an environment variable's value. */
export function parseAllowlist(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}
