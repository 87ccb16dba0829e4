import type { SandboxUpstream } from "../upstream.js";
import { type AwsSecretsSandboxOptions, createAwsSecretsSandboxHandlers } from "./aws-secrets-handlers.js";
import type { AwsSecretsState } from "./aws-secrets-state.js";

/** Options for the Secrets Manager fake inside `startSandbox`; the base and faults come from the sandbox. */
export type AwsSecretsUpstreamOptions = Omit<
  AwsSecretsSandboxOptions,
  "baseUrl" | "faults" | "state" | "seed" | "now"
>;

/**
 * Mounted at `/aws-secrets`: the SDK keeps an endpoint's path, so `AWS_ENDPOINT_URL_SECRETS_MANAGER` is
 * `http://127.0.0.1:PORT/aws-secrets` and requests arrive as `POST /aws-secrets/`.
 */
export const awsSecretsUpstream: SandboxUpstream<AwsSecretsUpstreamOptions, AwsSecretsState> = {
  name: "aws-secrets",
  create({ mountPath, faults, seed, now, options }) {
    const sandbox = createAwsSecretsSandboxHandlers({ ...options, seed, now, faults, baseUrl: mountPath });
    return {
      handlers: sandbox.handlers,
      state: sandbox.state,
      summary: () => sandbox.state.summary(),
      env: (url) => ({
        AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
        AWS_REGION: sandbox.state.region,
        AWS_ACCESS_KEY_ID: sandbox.state.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sandbox.state.credentials.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: "true",
      }),
      reset: () => sandbox.state.reset(),
    };
  },
};
