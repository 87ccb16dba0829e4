import { describe, expect, it } from "vitest";
import {
  type CredentialReference,
  credentialFromSetting,
  fromEnv,
  parseCredentialReference,
  redactText,
  registerCredentialResolver,
} from "../src/index.js";

describe("credential references", () => {
  it("parses aws-sm:// references with an optional JSON key", () => {
    expect(parseCredentialReference("aws-sm://prod/github#token")).toEqual({
      scheme: "aws-sm",
      secretId: "prod/github",
      key: "token",
      raw: "aws-sm://prod/github#token",
    });
    expect(
      parseCredentialReference("aws-sm://arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC")?.secretId,
    ).toBe("arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC");
    expect(parseCredentialReference("ghp_plainvalue")).toBeUndefined();
    expect(parseCredentialReference("https://example.com/x")).toBeUndefined();
  });

  it("says which package to load when a reference has no resolver", async () => {
    const provider = credentialFromSetting("aws-sm://prod/github#token", { description: "GITHUB_TOKEN" });
    await expect(provider.get()).rejects.toMatchObject({ code: "credentials_missing" });
    await expect(provider.get()).rejects.toThrow(/@switchyard\/aws-secrets/);
  });

  it("resolves references through a registered store, from settings and from the environment", async () => {
    const seen: CredentialReference[] = [];
    let invalidated = 0;
    registerCredentialResolver("test-store", (reference) => {
      seen.push(reference);
      return {
        description: "test store",
        get: async () => ({ value: `resolved-${reference.secretId}-${reference.key}` }),
        invalidate: () => {
          invalidated += 1;
        },
      };
    });
    expect(
      (await credentialFromSetting("test-store://team/bot#token", { description: "X" }).get()).value,
    ).toBe("resolved-team/bot-token");
    const env: NodeJS.ProcessEnv = { SLACK_BOT_TOKEN: "test-store://team/slack#bot" };
    const provider = fromEnv({ variable: "SLACK_BOT_TOKEN", setting: "slack.botToken", env });
    const credential = await provider.get();
    expect(credential.value).toBe("resolved-team/slack-bot");
    provider.invalidate(credential);
    expect(invalidated).toBe(1);
    // A plain value still works, and is registered for redaction.
    env.SLACK_BOT_TOKEN = "plain-bot-token-value";
    expect((await provider.get()).value).toBe("plain-bot-token-value");
    expect(redactText("x plain-bot-token-value y")).toBe("x [REDACTED] y");
    expect(seen.map((reference) => reference.secretId)).toEqual(["team/bot", "team/slack"]);
  });
});
