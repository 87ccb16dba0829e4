import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import type { JsonSchema } from "@switchyard/core";

/**
 * A schema the MCP SDK advertises as-is but does not validate with: the Switchyard pipeline validates every
 * call itself, so a bad argument comes back as our structured `invalid_input` error (code, hint, fields)
 * instead of the SDK's plain text, and output is not validated twice.
 */
export function advertisedSchema(jsonSchema: JsonSchema): StandardSchemaWithJSON<Record<string, unknown>> {
  return {
    "~standard": {
      version: 1,
      vendor: "switchyard",
      validate: (value) => ({ value: (value ?? {}) as Record<string, unknown> }),
      jsonSchema: {
        input: () => jsonSchema,
        output: () => jsonSchema,
      },
    },
  };
}
