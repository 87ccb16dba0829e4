import { readFileSync } from "node:fs";
import { ConnectorError } from "@switchyard/core";
import { expect } from "vitest";
import { createJiraConnector } from "../src/jira-connector.js";
import type { JiraSettings } from "../src/jira-settings.js";

export const SITE = "https://acme.atlassian.net";
export const EMAIL = "agent@acme.example";
/** A syntactically real Atlassian API token; it must never show up in any error. */
export const CANARY_TOKEN = `ATATT3xFfGF0${"C4n4ryT0k3n".repeat(3)}_x-Y=9F3E2A1B`;

export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

/** Small retry delays and a short ceiling on honoured waits, so error-path tests stay fast. */
export function connector(settings: JiraSettings = {}) {
  return createJiraConnector({
    baseUrl: SITE,
    email: EMAIL,
    apiToken: CANARY_TOKEN,
    retry: { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
    ...settings,
  });
}

let requestCounter = 0;
/** Headers Jira Cloud sends with every answer. */
export function jiraHeaders(extra: Record<string, string> = {}): Record<string, string> {
  requestCounter += 1;
  return {
    "content-type": "application/json;charset=UTF-8",
    "x-arequestid": `4f1a2b3c-${requestCounter.toString(16).padStart(4, "0")}-4d5e-8f90-a1b2c3d4e5f6`,
    ...extra,
  };
}

/** Awaits a call expected to fail and returns the ConnectorError. */
export async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.isInstance(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error("expected the call to fail");
}

/** A search/jql issue with the summary fields, as Jira returns it when the fields are requested. */
export function wireIssue(key: string, overrides: Record<string, unknown> = {}) {
  const project = key.slice(0, key.lastIndexOf("-"));
  const number = Number(key.slice(key.lastIndexOf("-") + 1));
  return {
    expand: "",
    id: String(10000 + number),
    self: `${SITE}/rest/api/3/issue/${10000 + number}`,
    key,
    fields: {
      summary: `Issue ${key}`,
      status: {
        self: `${SITE}/rest/api/3/status/10000`,
        description: "",
        iconUrl: `${SITE}/`,
        name: "To Do",
        id: "10000",
        statusCategory: {
          self: `${SITE}/rest/api/3/statuscategory/2`,
          id: 2,
          key: "new",
          colorName: "blue-gray",
          name: "To Do",
        },
      },
      issuetype: {
        self: `${SITE}/rest/api/3/issuetype/10001`,
        id: "10001",
        description: "",
        iconUrl: "",
        name: "Task",
        subtask: false,
        avatarId: 10318,
        hierarchyLevel: 0,
      },
      priority: { self: `${SITE}/rest/api/3/priority/3`, iconUrl: "", name: "Medium", id: "3" },
      assignee: null,
      reporter: {
        self: `${SITE}/rest/api/3/user?accountId=557058:aaa`,
        accountId: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
        displayName: "Mia Krystof",
        active: true,
        timeZone: "Europe/Berlin",
        accountType: "atlassian",
      },
      project: {
        self: `${SITE}/rest/api/3/project/10000`,
        id: "10000",
        key: project,
        name: `Project ${project}`,
        projectTypeKey: "software",
        simplified: false,
      },
      labels: [],
      resolution: null,
      created: "2026-03-02T09:15:27.000+0100",
      updated: "2026-03-04T17:02:11.000+0100",
      ...overrides,
    },
  };
}
