import {
  ConnectorError,
  type ConnectorInstance,
  createConnector,
  defineTool,
  READ_ANNOTATIONS,
} from "@switchyard/core";
import { z } from "zod";

/**
 * The fixture the official MCP conformance suite calls in its `tools-call-error` scenario: a tool named
 * `test_error_handling` that always fails. It exists only so CI can run that scenario against the real
 * `switchyard serve --http`; it is served only when the `test` connector is named explicitly and is never
 * listed by default.
 */
const errorHandling = defineTool({
  name: "test_error_handling",
  title: "Conformance: error handling",
  description: "Always fails; used by the MCP conformance suite to check error reporting.",
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  annotations: READ_ANNOTATIONS,
  async execute() {
    throw new ConnectorError({
      code: "internal",
      message: "This tool intentionally returns an error for testing",
      hint: "This is the conformance suite's error fixture; nothing to fix.",
    });
  },
});

export function createConformanceConnector(): ConnectorInstance {
  return createConnector({
    id: "test",
    title: "MCP conformance fixture",
    tools: [errorHandling],
    buckets: {},
    client: () => undefined,
  });
}
