import { describe, expect, it } from "vitest";
import { CONTRACT_CONNECTORS } from "../connectors/registry.js";
import { planLive } from "./live-env.js";
import { isAllowedHost } from "./live-network-guard.js";

describe("harness: the live target's hosts", () => {
  it("allows nothing but loopback when no credential is set", () => {
    expect(planLive(CONTRACT_CONNECTORS, {})).toEqual({ hosts: [], usesAwsSecrets: false });
  });

  it("allows the hosts of the connectors whose read variables are set", () => {
    const plan = planLive(CONTRACT_CONNECTORS, {
      GITHUB_TOKEN: "ghp_x",
      SLACK_BOT_TOKEN: "xoxb-x",
      JIRA_BASE_URL: "https://acme.atlassian.net",
      JIRA_EMAIL: "bot@example.com",
      JIRA_API_TOKEN: "ATATTx",
      CONTRACT_POSTGRES_URL: "postgres://app@db.internal.example:5432/app",
    });
    expect(plan.hosts).toEqual(["acme.atlassian.net", "api.github.com", "db.internal.example", "slack.com"]);
  });

  it("follows GITHUB_API_URL (GHES) and ignores half-configured Jira", () => {
    const plan = planLive(CONTRACT_CONNECTORS, {
      GITHUB_TOKEN: "ghp_x",
      GITHUB_API_URL: "https://ghe.example.com/api/v3",
      JIRA_BASE_URL: "https://acme.atlassian.net",
    });
    expect(plan.hosts).toEqual(["ghe.example.com"]);
  });

  it("allows AWS Secrets Manager when a credential is an aws-sm:// reference", () => {
    expect(
      planLive(CONTRACT_CONNECTORS, { GITHUB_TOKEN: "aws-sm://ci/github#token", AWS_REGION: "eu-west-1" }),
    ).toEqual({ hosts: ["api.github.com", "secretsmanager.eu-west-1.amazonaws.com"], usesAwsSecrets: true });
    expect(
      planLive(CONTRACT_CONNECTORS, {
        SLACK_BOT_TOKEN: "aws-sm://arn:aws:secretsmanager:us-east-2:123456789012:secret:ci/slack-AbCdEf#bot",
      }).hosts,
    ).toEqual(["secretsmanager.us-east-2.amazonaws.com", "slack.com"]);
    expect(planLive(CONTRACT_CONNECTORS, { CONTRACT_AWS_SECRET_REF: "aws-sm://x" }).hosts).toEqual([
      "*.amazonaws.com",
    ]);
  });

  it("matches exact hosts and *.suffix patterns, loopback always", () => {
    const rules = { hosts: ["api.github.com", "*.amazonaws.com"] };
    expect(isAllowedHost("api.github.com", rules)).toBe(true);
    expect(isAllowedHost("API.GITHUB.COM", rules)).toBe(true);
    expect(isAllowedHost("secretsmanager.us-east-1.amazonaws.com", rules)).toBe(true);
    expect(isAllowedHost("127.0.0.1", rules)).toBe(true);
    expect(isAllowedHost("localhost", rules)).toBe(true);
    expect(isAllowedHost("github.com", rules)).toBe(false);
    expect(isAllowedHost("api.github.com.evil.example", rules)).toBe(false);
    expect(isAllowedHost("amazonaws.com.evil.example", rules)).toBe(false);
    expect(isAllowedHost("169.254.169.254", rules)).toBe(false);
  });
});
