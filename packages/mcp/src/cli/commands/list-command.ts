import { describeTool } from "@switchyard/core";
import { buildConnectors } from "../../config/build-connectors.js";
import type { SwitchyardConfig } from "../../config/switchyard-config.js";
import type { CliIo } from "../cli-io.js";
import { renderTable } from "../render-table.js";
import { countTokens } from "../token-count.js";

export async function listCommand(
  io: CliIo,
  config: SwitchyardConfig,
  options: { ids: string[]; json: boolean },
): Promise<number> {
  const connectors = await buildConnectors({ ids: options.ids, config, env: io.env, allowWrites: true });
  const rows = connectors.flatMap((connector) =>
    connector.tools.map((tool) => ({
      connector: connector.id,
      tool: tool.name,
      kind: tool.kind,
      tokens: countTokens(JSON.stringify(describeTool(tool))),
      title: tool.title,
    })),
  );
  await Promise.all(connectors.map((connector) => connector.close()));
  if (options.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  io.out(
    renderTable(
      ["connector", "tool", "kind", "tokens", "title"],
      rows.map((row) => [row.connector, row.tool, row.kind, String(row.tokens), row.title]),
    ),
  );
  const readOnly = rows.filter((row) => row.kind !== "write");
  const readOnlyTokens = readOnly.reduce((sum, row) => sum + row.tokens, 0);
  io.out(
    `\n${rows.length} tools (${rows.length - readOnly.length} write, served only with --allow-writes). Read-only tools/list: ${readOnlyTokens} tokens.`,
  );
  return 0;
}
