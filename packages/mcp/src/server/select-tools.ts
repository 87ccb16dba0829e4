import type { AnyToolDefinition, ConnectorInstance } from "@switchyard/core";

export interface SelectedTool {
  readonly connector: ConnectorInstance;
  readonly tool: AnyToolDefinition;
}

/** Thrown for a `--tools` pattern that selects nothing: a typo must not silently serve fewer tools. */
export class ToolSelectionError extends Error {
  override readonly name = "ToolSelectionError";
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * The tools a server exposes: every enabled tool of every connector (write tools only where the connector
 * allows writes), narrowed by name or glob patterns, in a stable order (by name).
 */
export function selectTools(
  connectors: readonly ConnectorInstance[],
  patterns: readonly string[] = [],
): SelectedTool[] {
  const all = connectors.flatMap((connector) =>
    connector.enabledTools().map((tool) => ({ connector, tool })),
  );
  const seen = new Set<string>();
  for (const { tool } of all) {
    if (seen.has(tool.name)) throw new ToolSelectionError(`Tool ${tool.name} is provided by two connectors.`);
    seen.add(tool.name);
  }
  const cleaned = patterns
    .flatMap((pattern) => pattern.split(","))
    .map((pattern) => pattern.trim())
    .filter(Boolean);
  if (cleaned.length === 0) return all.sort((a, b) => a.tool.name.localeCompare(b.tool.name));
  const registered = connectors.flatMap((connector) => connector.tools.map((tool) => tool.name));
  const selected = new Map<string, SelectedTool>();
  for (const pattern of cleaned) {
    const regexp = globToRegExp(pattern);
    const matches = all.filter(({ tool }) => regexp.test(tool.name));
    if (matches.length === 0) {
      const hidden = registered.filter((name) => regexp.test(name));
      throw new ToolSelectionError(
        hidden.length > 0
          ? `--tools "${pattern}" matches only write tools (${hidden.join(", ")}); they are not served unless writes are allowed (--allow-writes).`
          : `--tools "${pattern}" matches no tool. Available: ${all.map(({ tool }) => tool.name).join(", ")}.`,
      );
    }
    for (const match of matches) selected.set(match.tool.name, match);
  }
  return [...selected.values()].sort((a, b) => a.tool.name.localeCompare(b.tool.name));
}
