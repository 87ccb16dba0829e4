import { GITHUB_SANDBOX_TOKEN } from "../github/github-upstream.js";
import { seededRandom } from "../shared/seeded-random.js";
import type { AwsSecretsState } from "./aws-secrets-state.js";

/** The seeded secrets everyone can rely on. */
export const AWS_SEEDED_SECRETS = {
  /** `{"token": "ghp_sandbox…"}`: the fake GitHub's token. */
  github: "sandbox/github",
  /** `{"engine","host","port","dbname","username","password"}`; two versions (AWSCURRENT, AWSPREVIOUS). */
  postgres: "sandbox/postgres",
  /** Binary (`SecretBinary`), 32 bytes. */
  binary: "sandbox/tls-session-key",
  /** Every operation on it is `AccessDeniedException`. */
  restricted: "sandbox/restricted",
  /** Reads of its value are `DecryptionFailure`. */
  undecryptable: "sandbox/undecryptable",
  /** Created without a value: GetSecretValue is `ResourceNotFoundException`. */
  empty: "sandbox/empty",
  /** Scheduled for deletion (7-day window): GetSecretValue is `InvalidRequestException`. */
  retired: "sandbox/retired",
} as const;

/** How many `apps/service-NN/config` secrets the seed adds (for ListSecrets pagination). */
export const AWS_SEEDED_APP_SECRETS = 20;

/** Passwords of `sandbox/postgres`: AWSPREVIOUS then AWSCURRENT. */
export const SANDBOX_POSTGRES_PASSWORDS = ["sandbox-pg-password-1", "sandbox-pg-password-2"] as const;

const HOUR = 3_600_000;

export function seedAwsSecrets(state: AwsSecretsState): void {
  const start = state.now() - 90 * 24 * HOUR;
  let hour = 0;
  const at = () => start + hour++ * HOUR;
  const tags = (upstream: string) => [
    { Key: "app", Value: "switchyard" },
    { Key: "upstream", Value: upstream },
  ];

  state.createSecret({
    name: AWS_SEEDED_SECRETS.github,
    description: "GitHub token for the sandbox's fake GitHub",
    value: { token: GITHUB_SANDBOX_TOKEN },
    tags: tags("github"),
    createdDate: at(),
  });

  const postgres = {
    engine: "postgres",
    host: "127.0.0.1",
    port: 5432,
    dbname: "postgres",
    username: "postgres",
  };
  state.createSecret({
    name: AWS_SEEDED_SECRETS.postgres,
    description: "PostgreSQL credentials (rotated once: AWSPREVIOUS holds the old password)",
    value: { ...postgres, password: SANDBOX_POSTGRES_PASSWORDS[0] },
    tags: tags("postgres"),
    rotationEnabled: true,
    createdDate: at(),
  });
  state.rotate(AWS_SEEDED_SECRETS.postgres, { ...postgres, password: SANDBOX_POSTGRES_PASSWORDS[1] });

  const random = seededRandom(0x5ec7e7);
  state.createSecret({
    name: AWS_SEEDED_SECRETS.binary,
    description: "A binary secret (SecretBinary)",
    value: Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)),
    createdDate: at(),
  });
  state.createSecret({
    name: AWS_SEEDED_SECRETS.restricted,
    description: "The caller has no permission on this secret",
    value: "you should not see this",
    accessDenied: true,
    createdDate: at(),
  });
  state.createSecret({
    name: AWS_SEEDED_SECRETS.undecryptable,
    description: "Encrypted with a KMS key the caller cannot use",
    value: "ciphertext only",
    kmsKeyId: `arn:aws:kms:${state.region}:${state.accountId}:key/00000000-0000-4000-a000-000000000000`,
    decryptionFailure: true,
    createdDate: at(),
  });
  state.createSecret({
    name: AWS_SEEDED_SECRETS.empty,
    description: "Created without a value",
    createdDate: at(),
  });
  state.createSecret({
    name: AWS_SEEDED_SECRETS.retired,
    description: "Scheduled for deletion",
    value: "old",
    createdDate: at(),
  });
  state.deleteSecret(AWS_SEEDED_SECRETS.retired, { recoveryWindowInDays: 7 });

  for (let index = 1; index <= AWS_SEEDED_APP_SECRETS; index++) {
    const service = `service-${String(index).padStart(2, "0")}`;
    const env = index % 3 === 0 ? "staging" : "prod";
    state.createSecret({
      name: `apps/${service}/config`,
      description: `Configuration of ${service} (${env})`,
      value: { service, env, apiKey: `key-${index}-${Math.floor(random() * 1e9).toString(36)}` },
      tags: [
        { Key: "app", Value: service },
        { Key: "env", Value: env },
      ],
      createdDate: at(),
    });
  }
}
