import type { ConnectorInstance, ConnectorRuntimeOptions } from "@switchyard/core";

/** Builds one connector instance from the environment, its config-file settings and the runtime options. */
export type ConnectorFactory = (
  env: NodeJS.ProcessEnv,
  settings: Record<string, unknown>,
  runtime: ConnectorRuntimeOptions,
) => ConnectorInstance;

/** One connector the CLI knows how to build from the environment and the config file. */
export interface ConnectorEntry {
  readonly id: string;
  readonly title: string;
  /** Environment variables it reads; doctor shows which are set (never their values). */
  readonly variables: readonly string[];
  /** Whether enough is configured to try calling it (doctor skips the rest with a hint). */
  readonly configured: (env: NodeJS.ProcessEnv, settings: Record<string, unknown>) => boolean;
  /** Served only when named (the conformance fixture); left out of list and doctor by default. */
  readonly hidden?: boolean;
  /**
   * Imports the connector's package and returns its factory. Nothing is imported before this is called, so
   * serving one connector never loads the others (jira.js, pg, libpg-query, the Slack SDK...).
   */
  readonly load: () => Promise<ConnectorFactory>;
}

/** Loads the entry's connector package and builds an instance. */
export async function createConnectorFrom(
  entry: ConnectorEntry,
  env: NodeJS.ProcessEnv,
  settings: Record<string, unknown>,
  runtime: ConnectorRuntimeOptions,
): Promise<ConnectorInstance> {
  const create = await entry.load();
  return create(env, settings, runtime);
}

export const CONNECTOR_REGISTRY: readonly ConnectorEntry[] = [
  {
    id: "github",
    title: "GitHub",
    variables: [
      "GITHUB_TOKEN",
      "GITHUB_APP_ID",
      "GITHUB_APP_PRIVATE_KEY",
      "GITHUB_APP_INSTALLATION_ID",
      "GITHUB_API_URL",
      "GITHUB_REPOSITORIES",
    ],
    configured: (env, settings) =>
      Boolean(env.GITHUB_TOKEN || env.GITHUB_APP_ID || settings.token || settings.app),
    load: async () => {
      const { createGithubConnector, githubSettingsFromEnv } = await import("@switchyard/github");
      return (env, settings, runtime) =>
        createGithubConnector(githubSettingsFromEnv(env, { ...settings, ...runtime }));
    },
  },
  {
    id: "slack",
    title: "Slack",
    variables: [
      "SLACK_BOT_TOKEN",
      "SLACK_USER_TOKEN",
      "SLACK_API_URL",
      "SLACK_REFRESH_TOKEN",
      "SLACK_CLIENT_ID",
      "SLACK_CLIENT_SECRET",
      "SLACK_CHANNELS",
    ],
    configured: (env, settings) =>
      Boolean(
        env.SLACK_BOT_TOKEN ||
          env.SLACK_USER_TOKEN ||
          env.SLACK_REFRESH_TOKEN ||
          settings.botToken ||
          settings.userToken,
      ),
    load: async () => {
      const { createSlackConnector, slackSettingsFromEnv } = await import("@switchyard/slack");
      return (env, settings, runtime) =>
        createSlackConnector(slackSettingsFromEnv(env, { ...settings, ...runtime }));
    },
  },
  {
    id: "jira",
    title: "Jira",
    variables: [
      "JIRA_BASE_URL",
      "JIRA_EMAIL",
      "JIRA_API_TOKEN",
      "JIRA_OAUTH_CLIENT_ID",
      "JIRA_OAUTH_CLIENT_SECRET",
      "JIRA_OAUTH_REFRESH_TOKEN",
      "JIRA_PROJECTS",
    ],
    configured: (env, settings) =>
      Boolean(env.JIRA_API_TOKEN || env.JIRA_OAUTH_REFRESH_TOKEN || settings.apiToken || settings.oauth),
    load: async () => {
      const { createJiraConnector, jiraSettingsFromEnv } = await import("@switchyard/jira");
      return (env, settings, runtime) =>
        createJiraConnector(jiraSettingsFromEnv(env, { ...settings, ...runtime }));
    },
  },
  {
    id: "postgres",
    title: "PostgreSQL",
    variables: ["DATABASE_URL", "POSTGRES_WRITE_SCHEMAS"],
    configured: (env, settings) => Boolean(env.DATABASE_URL || settings.connectionString || settings.host),
    load: async () => {
      const { createPostgresConnector, postgresSettingsFromEnv } = await import("@switchyard/postgres");
      return (env, settings, runtime) =>
        createPostgresConnector(postgresSettingsFromEnv(env, { ...settings, ...runtime }));
    },
  },
  {
    id: "test",
    title: "MCP conformance fixture",
    variables: [],
    hidden: true,
    configured: () => false,
    load: async () => {
      const { createConformanceConnector } = await import("../conformance/conformance-connector.js");
      return () => createConformanceConnector();
    },
  },
];

/** The connectors `list` and `doctor` show when none is named. */
export function visibleConnectors(): ConnectorEntry[] {
  return CONNECTOR_REGISTRY.filter((entry) => !entry.hidden);
}

export function findConnector(id: string): ConnectorEntry {
  const entry = CONNECTOR_REGISTRY.find((candidate) => candidate.id === id);
  if (!entry) {
    throw new Error(
      `Unknown connector "${id}". Known: ${CONNECTOR_REGISTRY.map((candidate) => candidate.id).join(", ")}.`,
    );
  }
  return entry;
}
