import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ConnectorInstance, describeTool, type ToolDescription } from "@switchyard/core";
import { createGithubConnector } from "@switchyard/github";
import { createJiraConnector } from "@switchyard/jira";
import { createPostgresConnector } from "@switchyard/postgres";
import { createSlackConnector } from "@switchyard/slack";

export const SNAPSHOT_DIR = fileURLToPath(new URL("../../snapshots/tool-schemas/", import.meta.url));
export const CHANGESET_DIR = fileURLToPath(new URL("../../../.changeset/", import.meta.url));

/** Every connector whose published schemas are snapshotted, with the package that publishes them. */
export const SNAPSHOTTED_CONNECTORS: readonly {
  readonly packageName: string;
  readonly create: () => ConnectorInstance;
}[] = [
  { packageName: "@switchyard/github", create: () => createGithubConnector({ allowWrites: true }) },
  { packageName: "@switchyard/slack", create: () => createSlackConnector({ allowWrites: true }) },
  { packageName: "@switchyard/jira", create: () => createJiraConnector({ allowWrites: true }) },
  { packageName: "@switchyard/postgres", create: () => createPostgresConnector({ allowWrites: true }) },
];

export interface ToolSchemaSnapshot {
  readonly connector: string;
  readonly package: string;
  readonly tools: readonly ToolDescription[];
}

/** Every registered tool's published description (write tools included), as MCP and the adapters publish it. */
export function currentSnapshot(packageName: string, connector: ConnectorInstance): ToolSchemaSnapshot {
  return { connector: connector.id, package: packageName, tools: connector.tools.map(describeTool) };
}

/** The version in a snapshotted package's package.json (what its next release bumps from). */
export function packageVersion(packageName: string): string {
  const path = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

export function snapshotPath(connectorId: string): string {
  return join(SNAPSHOT_DIR, `${connectorId}.json`);
}

export function readSnapshot(connectorId: string): ToolSchemaSnapshot | undefined {
  const path = snapshotPath(connectorId);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as ToolSchemaSnapshot) : undefined;
}

export function writeSnapshot(snapshot: ToolSchemaSnapshot): void {
  writeFileSync(snapshotPath(snapshot.connector), `${JSON.stringify(snapshot, null, 2)}\n`);
}
