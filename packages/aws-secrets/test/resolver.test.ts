import { credentialFromSetting, fromEnv, parseCredentialReference } from "@switchyard/core";
import { afterEach, describe, expect, it } from "vitest";
import { AWS_SECRETS_SCHEME, awsSecretsCredentials, registerAwsSecretsResolver } from "../src/index.js";
import { FakeSecretsManager, TEST_CLIENT_CONFIG } from "./support/fake-secrets-manager.js";

afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  delete process.env.AWS_DEFAULT_REGION;
  process.env.AWS_REGION = "us-east-1";
});

describe("aws-sm:// references", () => {
  it("resolves GITHUB_TOKEN=aws-sm://prod/github#token through core's fromEnv after registration", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("prod/github", JSON.stringify({ token: "ghp_from_secrets_manager_0001" }));
    registerAwsSecretsResolver({ clientConfig: TEST_CLIENT_CONFIG });
    const env: NodeJS.ProcessEnv = { GITHUB_TOKEN: "aws-sm://prod/github#token" };
    const provider = fromEnv({ variable: "GITHUB_TOKEN", setting: "github.token", env });
    const credential = await provider.get();
    expect(credential.value).toBe("ghp_from_secrets_manager_0001");
    expect(credential.id).toBe("aws-sm:prod/github#token");

    // Refused by GitHub: fromEnv forwards the invalidation, and the next get reads Secrets Manager again.
    fake.put("prod/github", JSON.stringify({ token: "ghp_from_secrets_manager_0002" }));
    provider.invalidate(credential);
    expect((await provider.get()).value).toBe("ghp_from_secrets_manager_0002");
    expect(fake.count()).toBe(2);
  });

  it("resolves references given as settings, whole secrets and ARNs (in the ARN's region)", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("team/slack", "xoxb-whole-secret-value-0001");
    fake.put("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC", "db-password-in-eu-west-1");
    registerAwsSecretsResolver({ clientConfig: { credentials: TEST_CLIENT_CONFIG.credentials } });
    const slack = credentialFromSetting("aws-sm://team/slack", { description: "slack.botToken" });
    expect((await slack.get()).value).toBe("xoxb-whole-secret-value-0001");
    expect(fake.requests.at(-1)?.host).toBe("secretsmanager.us-east-1.amazonaws.com");

    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC";
    expect(parseCredentialReference(`aws-sm://${arn}`)?.secretId).toBe(arn);
    const db = credentialFromSetting(`aws-sm://${arn}`, { description: "postgres.password" });
    expect((await db.get()).value).toBe("db-password-in-eu-west-1");
    expect(fake.requests.at(-1)).toMatchObject({
      host: "secretsmanager.eu-west-1.amazonaws.com",
      secretId: arn,
    });
  });

  it("names the setting and the reference when the secret cannot be read", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("prod/github", JSON.stringify({ other: "x" }));
    registerAwsSecretsResolver({ clientConfig: TEST_CLIENT_CONFIG });
    const provider = fromEnv({
      variable: "GITHUB_TOKEN",
      setting: "github.token",
      env: { GITHUB_TOKEN: "aws-sm://prod/github#token" },
    });
    const error = await provider.get().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "credentials_missing" });
    expect((error as Error).message).toContain("GITHUB_TOKEN");
    expect((error as Error).message).toContain("aws-sm://prod/github#token");
    expect((error as { hint: string }).hint).toContain('"token"');
  });

  it("is idempotent, shares one cached provider per secret and one SDK client per region and endpoint", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put(
      "prod/github",
      JSON.stringify({ token: "ghp_shared_between_connectors", app: "app-value-1234" }),
    );
    const options = { clientConfig: TEST_CLIENT_CONFIG };
    const resolver = registerAwsSecretsResolver(options);
    expect(registerAwsSecretsResolver()).toBe(resolver);
    expect(registerAwsSecretsResolver(options)).toBe(resolver);

    // Two connectors pointing at the same secret and key: one read between them.
    const github = fromEnv({
      variable: "GITHUB_TOKEN",
      setting: "github.token",
      env: { GITHUB_TOKEN: "aws-sm://prod/github#token" },
    });
    const mcp = fromEnv({
      variable: "MCP_TOKEN",
      setting: "mcp.token",
      env: { MCP_TOKEN: "aws-sm://prod/github#token" },
    });
    const [a, b] = await Promise.all([github.get(), mcp.get()]);
    expect(a.value).toBe(b.value);
    expect(fake.count()).toBe(1);
    // Another key of the same secret is another credential (own cache and id).
    const app = await credentialFromSetting("aws-sm://prod/github#app", { description: "x" }).get();
    expect(app).toMatchObject({ value: "app-value-1234", id: "aws-sm:prod/github#app" });
    expect(fake.count()).toBe(2);

    // New options replace the registration (fresh caches).
    const replaced = registerAwsSecretsResolver({ clientConfig: TEST_CLIENT_CONFIG, ttlMs: 1_000 });
    expect(replaced).not.toBe(resolver);
    await credentialFromSetting("aws-sm://prod/github#token", { description: "x" }).get();
    expect(fake.count()).toBe(3);
  });

  it("calls the endpoint in AWS_ENDPOINT_URL_SECRETS_MANAGER (read by SDK 3.1162.0 itself)", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("local/token", "local-endpoint-value-01");
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = "http://127.0.0.1:4566";
    const provider = awsSecretsCredentials({ secretId: "local/token", clientConfig: TEST_CLIENT_CONFIG });
    expect((await provider.get()).value).toBe("local-endpoint-value-01");
    expect(fake.requests.at(-1)?.host).toBe("127.0.0.1:4566");

    // The resolver keys its shared clients on it too, so a changed endpoint gets its own client.
    registerAwsSecretsResolver({ clientConfig: TEST_CLIENT_CONFIG });
    await credentialFromSetting("aws-sm://local/token", { description: "x" }).get();
    expect(fake.requests.at(-1)?.host).toBe("127.0.0.1:4566");
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = "http://localhost:4567";
    await credentialFromSetting("aws-sm://local/token", { description: "x" }).get();
    expect(fake.requests.at(-1)?.host).toBe("localhost:4567");
  });

  it("takes the region from AWS_REGION, then AWS_DEFAULT_REGION", async () => {
    const fake = new FakeSecretsManager().install();
    fake.put("regional", "regional-secret-value-1");
    const credentials = TEST_CLIENT_CONFIG.credentials;
    process.env.AWS_REGION = "ap-southeast-2";
    await awsSecretsCredentials({ secretId: "regional", clientConfig: { credentials } }).get();
    expect(fake.requests.at(-1)?.host).toBe("secretsmanager.ap-southeast-2.amazonaws.com");
    delete process.env.AWS_REGION;
    process.env.AWS_DEFAULT_REGION = "ca-central-1";
    await awsSecretsCredentials({ secretId: "regional", clientConfig: { credentials } }).get();
    expect(fake.requests.at(-1)?.host).toBe("secretsmanager.ca-central-1.amazonaws.com");
  });

  it("registers under the aws-sm scheme", () => {
    registerAwsSecretsResolver();
    expect(AWS_SECRETS_SCHEME).toBe("aws-sm");
    expect(parseCredentialReference("aws-sm://prod/github#token")).toMatchObject({ key: "token" });
  });
});
