import { ConnectorError } from "../errors/connector-error.js";

/** `<connector>_<verb>[_<noun>...]`: lower snake case, 1-64 characters, as MCP clients accept everywhere. */
const TOOL_NAME_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
export const MAX_TOOL_NAME_LENGTH = 64;

export function assertToolName(name: string, connectorId?: string): void {
  if (name.length === 0 || name.length > MAX_TOOL_NAME_LENGTH || !TOOL_NAME_PATTERN.test(name)) {
    throw new ConnectorError({
      code: "internal",
      message: `Tool name "${name}" is not <connector>_<verb>_<noun> in snake_case of 1-${MAX_TOOL_NAME_LENGTH} characters.`,
    });
  }
  if (connectorId !== undefined && !name.startsWith(`${connectorId}_`)) {
    throw new ConnectorError({
      code: "internal",
      message: `Tool name "${name}" must start with its connector id "${connectorId}_".`,
    });
  }
}
