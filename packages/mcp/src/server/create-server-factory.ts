import {
  McpServer,
  type ToolAnnotations as McpToolAnnotations,
  type ServerContext,
} from "@modelcontextprotocol/server";
import {
  type ConnectorInstance,
  describeTool,
  type ProgressUpdate,
  type ToolAnnotations,
} from "@switchyard/core";
import { SWITCHYARD_MCP_VERSION } from "../version.js";
import { advertisedSchema } from "./advertised-schema.js";
import { approvalStep } from "./mcp-approval.js";
import { type SelectedTool, selectTools } from "./select-tools.js";
import { errorResult, successResult } from "./tool-result.js";

export interface ServerFactoryOptions {
  readonly connectors: readonly ConnectorInstance[];
  /** Name or glob patterns (`github_*`); every enabled tool when empty. */
  readonly tools?: readonly string[];
  /** Server name announced to clients. */
  readonly name?: string;
  /** Tenant used for quotas and the audit trail when the transport does not name one. */
  readonly defaultTenant?: string;
}

export interface ServerFactory {
  /** Builds a fresh McpServer (one per HTTP request, one per stdio connection). */
  (): McpServer;
  readonly tools: readonly SelectedTool[];
}

/**
 * Builds the MCP server for a set of connectors. Tool selection and JSON Schemas are computed once; each
 * server instance only registers them. Every call goes through the connector's own pipeline, so MCP adds no
 * behaviour of its own: validation, retries, limits and budgets are the same as in the native API.
 */
export function createServerFactory(options: ServerFactoryOptions): ServerFactory {
  const tools = selectTools(options.connectors, options.tools);
  const described = tools.map((selected) => ({ ...selected, description: describeTool(selected.tool) }));

  const factory = () => {
    const server = new McpServer(
      { name: options.name ?? "switchyard", version: SWITCHYARD_MCP_VERSION },
      { capabilities: { tools: {} } },
    );
    for (const { connector, tool, description } of described) {
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: advertisedSchema(description.inputSchema),
          outputSchema: advertisedSchema(description.outputSchema),
          annotations: mcpAnnotations(tool.annotations),
        },
        async (input: Record<string, unknown>, context: ServerContext) => {
          try {
            const preview = tool.annotations.readOnly
              ? undefined
              : connector.previewApproval(tool.name, input);
            const step = preview?.required ? approvalStep(preview, context, server) : undefined;
            if (step?.kind === "ask") return step.result;
            const result = await connector.call(tool.name, input, {
              signal: context.mcpReq.signal,
              tenant: context.http?.authInfo?.clientId ?? options.defaultTenant ?? "default",
              onProgress: progressReporter(context),
              approve: step?.kind === "answered" ? step.approve : undefined,
            });
            return successResult(result);
          } catch (error) {
            return errorResult(error);
          }
        },
      );
    }
    return server;
  };
  return Object.assign(factory, { tools });
}

/**
 * MCP's hints for a tool. `title` is not repeated here (the tool's own `title` takes precedence over
 * `annotations.title`), and `destructiveHint`/`idempotentHint` are only sent for tools that write: MCP says
 * they are "meaningful only when readOnlyHint == false". tools/list is paid on every model turn.
 */
function mcpAnnotations(annotations: ToolAnnotations): McpToolAnnotations {
  return annotations.readOnly
    ? { readOnlyHint: true, openWorldHint: annotations.openWorld }
    : {
        readOnlyHint: false,
        destructiveHint: annotations.destructive,
        idempotentHint: annotations.idempotent,
        openWorldHint: annotations.openWorld,
      };
}

/** Forwards multi-page progress as MCP progress notifications, when the client asked for them. */
function progressReporter(context: ServerContext): ((update: ProgressUpdate) => void) | undefined {
  const progressToken = context.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let last = 0;
  return (update) => {
    // The spec requires progress to increase for one token.
    const progress = Math.max(update.done, last + 1);
    last = progress;
    void context.mcpReq
      .notify({
        method: "notifications/progress",
        params: {
          progressToken,
          progress,
          ...(update.total === undefined ? {} : { total: update.total }),
          ...(update.message === undefined ? {} : { message: update.message }),
        },
      })
      .catch(() => {});
  };
}
