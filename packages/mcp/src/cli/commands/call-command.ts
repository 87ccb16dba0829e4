import { ConnectorError } from "@switchyard/core";
import { auditTrailFrom } from "../../config/audit-from-config.js";
import { buildConnectors } from "../../config/build-connectors.js";
import { CONNECTOR_REGISTRY } from "../../config/connector-registry.js";
import type { SwitchyardConfig } from "../../config/switchyard-config.js";
import { type CliIo, UsageError } from "../cli-io.js";

export interface CallCommandOptions {
  readonly tool: string | undefined;
  readonly json: string | undefined;
  readonly allowWrites: boolean;
  readonly deadlineMs?: number | undefined;
  readonly tenant?: string | undefined;
}

export async function callCommand(
  io: CliIo,
  config: SwitchyardConfig,
  options: CallCommandOptions,
): Promise<number> {
  if (!options.tool) throw new UsageError("Name the tool to call.");
  const connectorId = options.tool.split("_")[0] ?? "";
  if (!CONNECTOR_REGISTRY.some((entry) => entry.id === connectorId)) {
    throw new UsageError(
      `No connector provides "${options.tool}" (known: ${CONNECTOR_REGISTRY.map((entry) => entry.id).join(", ")}).`,
    );
  }
  let input: unknown = {};
  if (options.json !== undefined) {
    try {
      input = JSON.parse(options.json);
    } catch (error) {
      throw new UsageError(`The arguments are not valid JSON: ${(error as Error).message}`);
    }
  }
  const audit = await auditTrailFrom(config, io.env, io.err);
  const [connector] = await buildConnectors({
    ids: [connectorId],
    config,
    env: io.env,
    allowWrites: options.allowWrites,
    audit,
  });
  if (!connector) throw new UsageError(`Unknown connector ${connectorId}.`);
  try {
    const result = await connector.call(options.tool, input, {
      deadlineMs: options.deadlineMs,
      tenant: options.tenant,
    });
    io.out(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    const failure = ConnectorError.isInstance(error)
      ? error
      : new ConnectorError({ code: "internal", message: "Unexpected failure.", cause: error });
    io.err(`error ${failure.code}: ${failure.message}`);
    io.err(`hint: ${failure.hint}`);
    io.err(JSON.stringify(failure.toJSON(), null, 2));
    return 1;
  } finally {
    await connector.close();
    await audit?.close();
  }
}
