import { registerSecret } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { createScrubber } from "./scrub.js";

// Synthetic data only: shapes of GitHub, Slack and Jira answers with made-up people and tokens.

const githubIssue = {
  number: 7,
  title: "Crash when octo-dev opens the settings",
  body: "Reported by octo-dev (octo.dev@example.com). Token in the log: ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  user: {
    login: "octo-dev",
    id: 1001,
    avatar_url: "https://avatars.githubusercontent.com/u/1001?v=4",
    html_url: "https://github.com/octo-dev",
  },
  assignees: [{ login: "maria-k", avatar_url: "https://avatars.githubusercontent.com/u/1002?v=4" }],
  labels: [{ name: "bug" }],
  repository_url: "https://api.github.com/repos/octo-dev/widgets",
};

const githubCommit = {
  sha: "abc123",
  commit: {
    message: "Fix the parser\n\nCo-authored-by: Maria Kowalski <maria@example.org>",
    author: { name: "Maria Kowalski", email: "maria@example.org", date: "2026-01-01T00:00:00Z" },
    committer: { name: "GitHub", email: "noreply@github.com", date: "2026-01-01T00:00:00Z" },
  },
  author: { login: "maria-k" },
};

const slackUser = {
  ok: true,
  user: {
    id: "U123",
    name: "sam.sandbox",
    real_name: "Sam Sandbox",
    profile: {
      email: "sam@example.com",
      display_name: "sam",
      real_name: "Sam Sandbox",
      phone: "+1 555 0100",
      image_72: "https://avatars.slack-edge.com/sam_72.png",
    },
  },
};

const jiraIssue = {
  key: "OPS-1",
  fields: {
    summary: "Disk full",
    reporter: {
      accountId: "5b10ac8d82e05b22cc7d4ef5",
      displayName: "Dana Scully",
      emailAddress: "dana@example.net",
      avatarUrls: {
        "48x48": "https://avatar.example/dana48.png",
        "24x24": "https://avatar.example/dana24.png",
      },
    },
  },
};

describe("recording scrubber", () => {
  it("replaces logins, names, e-mails and avatars with deterministic placeholders, everywhere", () => {
    const scrubbed = createScrubber().scrub(githubIssue);
    expect(scrubbed.user).toEqual({
      login: "user-1",
      id: 1001,
      avatar_url: "https://example.invalid/avatar.png",
      html_url: "https://github.com/user-1",
    });
    expect(scrubbed.assignees).toEqual([
      { login: "user-2", avatar_url: "https://example.invalid/avatar.png" },
    ]);
    // The login inside free text and URLs is the same placeholder; the e-mail gets one of its own.
    expect(scrubbed.title).toBe("Crash when user-1 opens the settings");
    expect(scrubbed.repository_url).toBe("https://api.github.com/repos/user-1/widgets");
    expect(scrubbed.body).toContain("Reported by user-1 (person-1@example.invalid)");
    // Tokens go through core's redaction.
    expect(scrubbed.body).toContain("ghp_[REDACTED]");
    expect(JSON.stringify(scrubbed)).not.toMatch(/octo|maria|ABCDEFGHIJ/i);
    // Not people: label names and the issue number stay.
    expect(scrubbed.labels).toEqual([{ name: "bug" }]);
    expect(scrubbed.number).toBe(7);
  });

  it("is deterministic and consistent across values scrubbed by the same scrubber", () => {
    const first = createScrubber();
    const second = createScrubber();
    const a = first.scrub(githubIssue);
    expect(second.scrub(githubIssue)).toEqual(a);
    // The same person in a second answer keeps their placeholder.
    const commit = first.scrub(githubCommit);
    expect(commit.author).toEqual({ login: "user-2" });
    expect(first.scrubText("https://github.com/octo-dev/widgets/issues/7")).toBe(
      "https://github.com/user-1/widgets/issues/7",
    );
  });

  it("treats `name` as a person's name only inside a person (git actors, users), never for labels or repos", () => {
    const scrubbed = createScrubber().scrub(githubCommit);
    expect(scrubbed.commit.author).toEqual({
      name: "Person 1",
      email: "person-1@example.invalid",
      date: "2026-01-01T00:00:00Z",
    });
    expect(scrubbed.commit.committer.name).toBe("Person 2");
    expect(scrubbed.commit.message).toBe(
      "Fix the parser\n\nCo-authored-by: Person 1 <person-1@example.invalid>",
    );
    expect(createScrubber().scrub({ name: "widgets", full_name: "acme/widgets" })).toEqual({
      name: "widgets",
      full_name: "acme/widgets",
    });
  });

  it("scrubs Slack profiles and Jira users, keeping the shape (strings stay strings, maps stay maps)", () => {
    const slack = createScrubber().scrub(slackUser);
    expect(slack.user).toEqual({
      id: "U123",
      name: "Person 1",
      real_name: "Person 2",
      profile: {
        email: "person-1@example.invalid",
        display_name: "Person 3",
        real_name: "Person 2",
        phone: "[REDACTED-CONTACT]",
        image_72: "https://example.invalid/avatar.png",
      },
    });
    const jira = createScrubber().scrub(jiraIssue);
    expect(jira.fields.reporter).toEqual({
      accountId: "id-1",
      displayName: "Person 1",
      emailAddress: "person-1@example.invalid",
      avatarUrls: {
        "48x48": "https://example.invalid/avatar.png",
        "24x24": "https://example.invalid/avatar.png",
      },
    });
    expect(jira.fields.summary).toBe("Disk full");
  });

  it("removes registered secrets and values under secret-looking keys (core's redaction)", () => {
    registerSecret("contract-scrub-canary-secret-0001");
    const scrubbed = createScrubber().scrub({
      message: "echo contract-scrub-canary-secret-0001",
      token: "anything",
      access_token: "xoxb-1234567890-abcdefghij",
      link: "https://api.example.test/next?access_token=abc123&page=2",
    });
    expect(scrubbed).toEqual({
      message: "echo [REDACTED]",
      token: "[REDACTED]",
      access_token: "[REDACTED]",
      link: "https://api.example.test/next?access_token=[REDACTED]&page=2",
    });
  });

  it("does not replace short handles inside other words", () => {
    const scrubbed = createScrubber().scrub({ user: { login: "al" }, title: "normal text" });
    expect(scrubbed).toEqual({ user: { login: "user-1" }, title: "normal text" });
  });
});
