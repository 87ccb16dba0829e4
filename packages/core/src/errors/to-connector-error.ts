import { z } from "zod";
import { networkError } from "../http/network-error.js";
import { ConnectorError } from "./connector-error.js";

/** A connector's own classifier: returns undefined for errors it does not recognise. */
export type ErrorMapper = (error: unknown) => ConnectorError | undefined;

/**
 * Turns anything a tool threw into a ConnectorError: the connector's mapper first, then the generic rules
 * (already typed, transport failures, wire-schema mismatches), and `internal` for the rest.
 */
export function toConnectorError(error: unknown, mapError?: ErrorMapper): ConnectorError {
  if (ConnectorError.isInstance(error)) return error;
  const mapped = mapError?.(error);
  if (mapped) return mapped;
  const network = networkError(error);
  if (network) return network;
  if (error instanceof z.ZodError) {
    return new ConnectorError({
      code: "invalid_response",
      message: `The upstream's answer does not have the expected shape: ${z.prettifyError(error).slice(0, 500)}`,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new ConnectorError({
      code: "invalid_response",
      message: "The upstream's answer is not valid JSON.",
      cause: error,
    });
  }
  return new ConnectorError({
    code: "internal",
    message: `Unexpected failure in the connector: ${(error as Error)?.message ?? String(error)}`,
    cause: error,
  });
}

/** Turns zod input issues into an `invalid_input` error that names each bad field. */
export function invalidInputError(error: z.ZodError, toolName: string): ConnectorError {
  const fields = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
  const summary = fields.map((field) => `${field.path}: ${field.message}`).join("; ");
  return new ConnectorError({
    code: "invalid_input",
    message: `Invalid arguments for ${toolName}: ${summary}`,
    hint: "Fix the named fields to match the tool's input schema, then call again.",
    details: { fields },
    tool: toolName,
  });
}
