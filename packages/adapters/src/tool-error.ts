import { ConnectorError, type ConnectorErrorJson } from "@switchyard/core";

/**
 * What a model sees when a call fails: the same shape the MCP server puts in `structuredContent`, so an agent
 * can branch on `code` and `retryable` whichever way it reaches the connector.
 */
export interface ToolErrorContent {
  readonly error: {
    readonly code: ConnectorErrorJson["code"];
    readonly message: string;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;
    readonly hint?: string;
  };
}

/** Any thrown value as a ConnectorError; a foreign error becomes `internal` (its message kept only as cause). */
export function asConnectorError(thrown: unknown): ConnectorError {
  return ConnectorError.isInstance(thrown)
    ? thrown
    : new ConnectorError({
        code: "internal",
        message: "Unexpected failure in the tool adapter.",
        cause: thrown,
      });
}

/** The `{ error: { code, message, retryable, retryAfterMs?, hint? } }` object for a failed call. */
export function toolErrorContent(thrown: unknown): ToolErrorContent {
  const error = asConnectorError(thrown);
  return {
    error: {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.hint ? { hint: error.hint } : {}),
    },
  };
}
