import { type AwsSecretsResolverOptions, registerAwsSecretsResolver } from "@switchyard/aws-secrets";
import { credentialFromSetting } from "@switchyard/core";
import { createGithubConnector } from "@switchyard/github";
import {
  AWS_SANDBOX_ACCESS_KEY_ID,
  AWS_SANDBOX_SECRET_ACCESS_KEY,
  AWS_SEEDED_SECRETS,
  createAwsSecretsSandboxHandlers,
  createGithubSandboxHandlers,
  GITHUB_SANDBOX_TOKEN,
  type Sandbox,
  startSandbox,
} from "@switchyard/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import "../harness/contract-meta.js";
import { withinDeadline } from "../harness/deadline.js";
import { server } from "../harness/msw-server.js";
import { type ContractTarget, describeForTargets } from "../harness/target.js";

/**
 * Credentials from AWS Secrets Manager: a connector's credential setting holds `aws-sm://<secret>#<key>`, and
 * @switchyard/aws-secrets' resolver (registered as setup.ts does for live runs) reads it. Against the fakes the
 * GitHub connector's token comes from the fake Secrets Manager and must open the fake GitHub; live, the
 * reference in CONTRACT_AWS_SECRET_REF must resolve to a non-empty value (never printed).
 */

const REGION = "us-east-1";
const IN_PROCESS_ENDPOINT = `https://secretsmanager.${REGION}.amazonaws.com`;
const REFERENCE = `aws-sm://${AWS_SEEDED_SECRETS.github}#token`;

const meta = (target: ContractTarget, tool: string) => ({
  contract: { connector: "aws-secrets", tool, toolClass: "read", target, kind: "scenario" as const },
});

describeForTargets(
  "aws-secrets: aws-sm:// references [fakes]",
  { targets: ["mock", "sandbox"] },
  (target) => {
    let sandbox: Sandbox<"github" | "aws-secrets"> | undefined;
    let github = { url: "https://api.github.com" };
    let resolver: AwsSecretsResolverOptions = {};
    const secrets = createAwsSecretsSandboxHandlers({ baseUrl: IN_PROCESS_ENDPOINT });
    const githubFake = createGithubSandboxHandlers();

    beforeAll(async () => {
      const credentials = {
        accessKeyId: AWS_SANDBOX_ACCESS_KEY_ID,
        secretAccessKey: AWS_SANDBOX_SECRET_ACCESS_KEY,
      };
      if (target === "sandbox") {
        sandbox = await startSandbox({ upstreams: ["github", "aws-secrets"] });
        github = { url: sandbox.urls.github };
        resolver = {
          clientConfig: {
            region: REGION,
            endpoint: sandbox.urls["aws-secrets"],
            credentials,
            maxAttempts: 1,
          },
        };
      } else {
        resolver = {
          clientConfig: { region: REGION, endpoint: IN_PROCESS_ENDPOINT, credentials, maxAttempts: 1 },
        };
      }
    });
    afterAll(async () => {
      await sandbox?.close();
    });

    it("a GitHub token given as aws-sm://… is read from Secrets Manager and opens GitHub", {
      meta: meta(target, "aws-sm:// → github_get_repository"),
    }, async ({ task }) => {
      if (target === "mock") server.use(...secrets.handlers, ...githubFake.handlers);
      registerAwsSecretsResolver(resolver);
      const connector = createGithubConnector({ token: REFERENCE, apiUrl: github.url });
      try {
        const started = performance.now();
        const result = await withinDeadline(
          connector.call("github_get_repository", { owner: "acme", repo: "api" }, { deadlineMs: 10_000 }),
          10_000,
        );
        if (task.meta.contract) task.meta.contract.latencyMs = Math.round(performance.now() - started);
        expect((result.output as { fullName: string }).fullName).toBe("acme/api");
      } finally {
        await connector.close();
      }
      const provider = credentialFromSetting(REFERENCE, { description: "the contract check" });
      expect((await provider.get()).value).toBe(GITHUB_SANDBOX_TOKEN);
    });
  },
);

describeForTargets(
  "aws-secrets: aws-sm:// references [live]",
  { targets: ["live"], env: ["CONTRACT_AWS_SECRET_REF"] },
  (target) => {
    it("CONTRACT_AWS_SECRET_REF resolves to a non-empty value", { meta: meta(target, "aws-sm://") }, async ({
      task,
    }) => {
      registerAwsSecretsResolver();
      const reference = process.env.CONTRACT_AWS_SECRET_REF?.trim() ?? "";
      expect(reference, "CONTRACT_AWS_SECRET_REF must be an aws-sm:// reference").toMatch(/^aws-sm:\/\//);
      const started = performance.now();
      const credential = await withinDeadline(
        credentialFromSetting(reference, { description: "CONTRACT_AWS_SECRET_REF" }).get(),
        15_000,
      );
      if (task.meta.contract) task.meta.contract.latencyMs = Math.round(performance.now() - started);
      // The value itself is never asserted on or printed.
      expect(credential.value.length).toBeGreaterThan(0);
    });
  },
);
