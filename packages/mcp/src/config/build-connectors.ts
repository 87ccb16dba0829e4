import type {
  ApprovalOptions,
  AuditTrail,
  ConnectorInstance,
  ConnectorRuntimeOptions,
} from "@switchyard/core";
import { findConnector, visibleConnectors } from "./connector-registry.js";
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

/** Builds connector instances from environment variables, overridden by the config file's settings. */
export function buildConnectors(options: BuildConnectorsOptions): ConnectorInstance[] {
  const ids = options.ids.length > 0 ? options.ids : visibleConnectors().map((entry) => entry.id);
  const redisUrl = options.config.redisUrl ?? options.env.SWITCHYARD_REDIS_URL;
  const cursorSecret = options.config.cursorSecret ?? options.env.SWITCHYARD_CURSOR_SECRET;
  const runtime: ConnectorRuntimeOptions = {
    allowWrites: options.allowWrites,
    ...(options.config.deadlineMs ? { deadlineMs: options.config.deadlineMs } : {}),
    ...(redisUrl ? { redis: { url: redisUrl } } : {}),
    ...(cursorSecret ? { cursorSecret } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.config.approval ? { approval: approvalOptions(options.config.approval) } : {}),
  };
  return [...new Set(ids)].map((id) => {
    const entry = findConnector(id);
    return entry.create(options.env, options.config.connectors?.[id] ?? {}, runtime);
  });
}

/** The config file's approval section, in core's shape (absent fields left out). */
function approvalOptions(approval: NonNullable<SwitchyardConfig["approval"]>): ApprovalOptions {
  return {
    ...(approval.policies ? { policies: approval.policies } : {}),
    ...(approval.destructiveDefault ? { destructiveDefault: approval.destructiveDefault } : {}),
  };
}
