import {
  type CallMetadata,
  type CallOptions,
  ConnectorError,
  type ConnectorInstance,
  type JsonSchema,
  type ToolDescription,
} from "@switchyard/core";
import { toFunctionParameters, WRAPPED_INPUT_KEY } from "./function-parameters.js";
import { asConnectorError } from "./tool-error.js";

/** One connector or several; every adapter takes either. */
export type Connectors = ConnectorInstance | readonly ConnectorInstance[];

/** Options every adapter takes. */
export interface AdapterOptions {
  /**
   * Tool names or `*` globs (`"github_list_*"`), as an array or comma-separated, like `switchyard serve
   * --tools`. Default: every enabled tool. A pattern that matches no offered tool throws a
   * `ToolSelectionError`, so a typo cannot silently hand the model fewer tools.
   */
  readonly tools?: string | readonly string[] | undefined;
  /** Tenant every call is made for (quotas, audit). Default: the connector's `default` tenant. */
  readonly tenant?: string | undefined;
  /** Time budget of each call in ms, capped by the connector's `maxDeadlineMs`. Default: the connector's. */
  readonly deadlineMs?: number | undefined;
  /** Output budget of each call in tokens, if tighter than the connector's. */
  readonly maxOutputTokens?: number | undefined;
}

/** Per-call settings; each one overrides the adapter-wide value. */
export interface InvokeOptions {
  readonly signal?: AbortSignal | undefined;
  readonly tenant?: string | undefined;
  readonly deadlineMs?: number | undefined;
  readonly maxOutputTokens?: number | undefined;
}

/** One tool as the adapters hand it out. */
export interface CatalogTool {
  readonly name: string;
  readonly connector: ConnectorInstance;
  readonly description: ToolDescription;
  /** The input schema as function-calling `parameters` (object root, no `$schema`). */
  readonly parameters: JsonSchema;
  /** Arguments arrive wrapped as `{ input: ... }` because the tool's input is not an object. */
  readonly wrapped: boolean;
}

export type ToolOutcome =
  | { readonly ok: true; readonly output: Record<string, unknown>; readonly metadata: CallMetadata }
  | { readonly ok: false; readonly error: ConnectorError };

/** Thrown for a `tools` pattern that selects nothing, or a tool name two connectors both provide. */
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

function splitPatterns(patterns: string | readonly string[] | undefined): string[] {
  const list = typeof patterns === "string" ? [patterns] : (patterns ?? []);
  return list
    .flatMap((pattern) => pattern.split(","))
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}

/**
 * The tools of some connectors, selected and described once, plus the one function that runs a call. Write
 * tools appear only where the connector allows writes (`enabledTools()`), in a stable order (by name).
 */
export class ToolCatalog {
  readonly tools: readonly CatalogTool[];
  private readonly byName: ReadonlyMap<string, CatalogTool>;
  /** Every tool the connectors register, offered or not: to explain why a name is refused. */
  private readonly registered: ReadonlyMap<string, { connector: ConnectorInstance; readOnly: boolean }>;
  private readonly defaults: InvokeOptions;

  constructor(connectors: Connectors, options: AdapterOptions = {}) {
    const list: readonly ConnectorInstance[] = Array.isArray(connectors)
      ? connectors
      : [connectors as ConnectorInstance];
    const all = list.flatMap((connector) =>
      connector.describeTools().map((description) => ({ connector, description })),
    );
    const seen = new Set<string>();
    for (const { description } of all) {
      if (seen.has(description.name)) {
        throw new ToolSelectionError(`Tool ${description.name} is provided by two connectors.`);
      }
      seen.add(description.name);
    }
    const patterns = splitPatterns(options.tools);
    let selected = all;
    if (patterns.length > 0) {
      const registered = list.flatMap((connector) => connector.tools.map((tool) => tool.name));
      const chosen = new Set<string>();
      for (const pattern of patterns) {
        const regexp = globToRegExp(pattern);
        const matches = all.filter(({ description }) => regexp.test(description.name));
        if (matches.length === 0) {
          const hidden = registered.filter((name) => regexp.test(name));
          throw new ToolSelectionError(
            hidden.length > 0
              ? `Tool pattern "${pattern}" matches only write tools (${hidden.join(", ")}); they are offered only when the connector allows writes (allowWrites: true).`
              : `Tool pattern "${pattern}" matches no tool. Available: ${all.map(({ description }) => description.name).join(", ")}.`,
          );
        }
        for (const match of matches) chosen.add(match.description.name);
      }
      selected = all.filter(({ description }) => chosen.has(description.name));
    }
    this.tools = selected
      .map(({ connector, description }) => {
        const { parameters, wrapped } = toFunctionParameters(description.inputSchema);
        return { name: description.name, connector, description, parameters, wrapped };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    this.byName = new Map(this.tools.map((tool) => [tool.name, tool]));
    this.registered = new Map(
      list.flatMap((connector) =>
        connector.tools.map(
          (tool) => [tool.name, { connector, readOnly: tool.annotations.readOnly }] as const,
        ),
      ),
    );
    this.defaults = {
      tenant: options.tenant,
      deadlineMs: options.deadlineMs,
      maxOutputTokens: options.maxOutputTokens,
    };
  }

  get(name: string): CatalogTool | undefined {
    return this.byName.get(name);
  }

  /**
   * Runs one call through its connector's pipeline. Never throws: an unknown or unoffered tool, bad
   * arguments and every connector failure come back as `{ ok: false, error }`.
   */
  async invoke(name: string, args: unknown, options: InvokeOptions = {}): Promise<ToolOutcome> {
    const tool = this.byName.get(name);
    if (!tool) return { ok: false, error: this.unknownTool(name) };
    const input =
      tool.wrapped && typeof args === "object" && args !== null
        ? (args as Record<string, unknown>)[WRAPPED_INPUT_KEY]
        : args;
    const callOptions: CallOptions = {
      signal: options.signal,
      tenant: options.tenant ?? this.defaults.tenant,
      deadlineMs: options.deadlineMs ?? this.defaults.deadlineMs,
      maxOutputTokens: options.maxOutputTokens ?? this.defaults.maxOutputTokens,
    };
    try {
      const result = await tool.connector.call(name, input, callOptions);
      return { ok: true, output: result.output, metadata: result.metadata };
    } catch (thrown) {
      return { ok: false, error: asConnectorError(thrown) };
    }
  }

  /**
   * The error for a tool the model asked for that is not offered. Such a call is never routed, even when a
   * connector registers the tool: a write tool without allowWrites is `permission_denied` (do not retry),
   * a tool left out by the `tools` filter or one that does not exist is `invalid_input`.
   */
  unknownTool(name: string): ConnectorError {
    const offered = this.tools.map((tool) => tool.name).join(", ");
    const registered = this.registered.get(name);
    if (registered && !registered.readOnly && !registered.connector.writesAllowed) {
      return new ConnectorError({
        code: "permission_denied",
        message: `${name} changes data and writes are not allowed for connector ${registered.connector.id}.`,
        hint: "This connector is read-only here; do not retry. The operator can enable writes (allowWrites).",
        notApplied: true,
        connector: registered.connector.id,
        tool: name,
      });
    }
    return new ConnectorError({
      code: "invalid_input",
      message: registered ? `Tool "${name}" is not offered here.` : `Unknown tool "${name}".`,
      hint: `Call one of the offered tools: ${offered}.`,
      notApplied: true,
    });
  }
}
