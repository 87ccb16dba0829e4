import type {
  ApprovalOptions,
  AuditTrail,
  ConnectorInstance,
  ConnectorRuntimeOptions,
} from "@switchyard/core";
import { createConnectorFrom, findConnector, visibleConnectors } from "./connector-registry.js";
import type { SwitchyardConfig } from "./switchyard-config.js";

export interface BuildConnectorsOptions {
  /** Connector ids; every known connector when empty. */
  readonly ids: readonly string[];
  readonly config: SwitchyardConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly allowWrites: boolean;
  /** One trail shared by all connectors built here. */
  readonly audit?: AuditTrail | undefined;
}

/**
 * Builds connector instances from environment variables, overridden by the config file's settings. Only the
 * named connectors' packages are imported.
 */
export async function buildConnectors(options: BuildConnectorsOptions): Promise<ConnectorInstance[]> {
  const ids = options.ids.length > 0 ? options.ids : visibleConnectors().map((entry) => entry.id);
  const cursorSecret = options.config.cursorSecret ?? options.env.SWITCHYARD_CURSOR_SECRET;
  const runtime: ConnectorRuntimeOptions = {
    allowWrites: options.allowWrites,
    ...(options.config.deadlineMs ? { deadlineMs: options.config.deadlineMs } : {}),
    ...redisRuntime(options.config, options.env),
    ...(cursorSecret ? { cursorSecret } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.config.approval ? { approval: approvalOptions(options.config.approval) } : {}),
  };
  const entries = [...new Set(ids)].map(findConnector);
  const settled = await Promise.allSettled(
    entries.map((entry) =>
      createConnectorFrom(entry, options.env, options.config.connectors?.[entry.id] ?? {}, runtime),
    ),
  );
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) {
    // Close what was built before reporting the first failure, so no client or pool is left open.
    await Promise.all(
      settled.map((outcome) => (outcome.status === "fulfilled" ? outcome.value.close() : undefined)),
    );
    throw failed.reason;
  }
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<ConnectorInstance>).value);
}

/**
 * The shared Redis (`redisUrl` in the config file, else SWITCHYARD_REDIS_URL), as runtime options. Each
 * connector built with it opens its own connection and closes it in `close()`.
 */
export function redisRuntime(
  config: SwitchyardConfig,
  env: NodeJS.ProcessEnv,
): Pick<ConnectorRuntimeOptions, "redis"> {
  const redisUrl = config.redisUrl ?? env.SWITCHYARD_REDIS_URL;
  return redisUrl ? { redis: { url: redisUrl } } : {};
}

/** The config file's approval section, in core's shape (absent fields left out). */
function approvalOptions(approval: NonNullable<SwitchyardConfig["approval"]>): ApprovalOptions {
  return {
    ...(approval.policies ? { policies: approval.policies } : {}),
    ...(approval.destructiveDefault ? { destructiveDefault: approval.destructiveDefault } : {}),
  };
}
