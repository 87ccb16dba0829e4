import type { CallToolResult } from "@modelcontextprotocol/server";
import { type CallResult, ConnectorError, type ConnectorErrorJson } from "@switchyard/core";

/** The structured error every failed call returns, so a model can branch on `code` and `retryable`. */
export interface ToolErrorContent {
  readonly error: {
    readonly code: ConnectorErrorJson["code"];
    readonly message: string;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;
    readonly hint?: string;
  };
}

export function successResult(result: CallResult): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(result.output) }],
    structuredContent: result.output,
  };
}

/** Any failure becomes an `isError` result, never a protocol error: the model must see it to recover. */
export function errorResult(thrown: unknown): CallToolResult {
  const error = ConnectorError.isInstance(thrown)
    ? thrown
    : new ConnectorError({
        code: "internal",
        message: "Unexpected failure in the MCP server.",
        cause: thrown,
      });
  const structured: ToolErrorContent = {
    error: {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.hint ? { hint: error.hint } : {}),
    },
  };
  const wait =
    error.retryAfterMs === undefined ? "" : ` Retry after ${Math.ceil(error.retryAfterMs / 1000)} s.`;
  return {
    isError: true,
    content: [{ type: "text", text: `${error.code}: ${error.message}${wait} ${error.hint}`.trim() }],
    structuredContent: structured as unknown as Record<string, unknown>,
  };
}
