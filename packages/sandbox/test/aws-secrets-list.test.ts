import {
  BatchGetSecretValueCommand,
  InvalidParameterException,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  paginateBatchGetSecretValue,
  paginateListSecrets,
  type SecretListEntry,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AWS_SEEDED_APP_SECRETS, AWS_SEEDED_SECRETS, type Sandbox, startSandbox } from "../src/index.js";
import { rejection, secretsClient } from "./aws-helpers.js";

/** ListSecrets and BatchGetSecretValue: NextToken/MaxResults pagination and filters, through the real SDK. */

let sandbox: Sandbox<"aws-secrets">;
let client: SecretsManagerClient;
const SEEDED_LISTED = Object.keys(AWS_SEEDED_SECRETS).length - 1 + AWS_SEEDED_APP_SECRETS; // retired is not listed

beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  sandbox = await startSandbox({ upstreams: ["aws-secrets"] });
  client = secretsClient({ endpoint: sandbox.urls["aws-secrets"] });
});
afterEach(() => sandbox.reset());
afterAll(async () => {
  client.destroy();
  await sandbox.close();
});

describe("ListSecrets", () => {
  it("pages with MaxResults and NextToken, each secret once, oldest first", async () => {
    const names: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListSecretsCommand({ MaxResults: 10, NextToken: token }));
      sizes.push(page.SecretList?.length ?? 0);
      names.push(...(page.SecretList ?? []).map((secret) => secret.Name as string));
      token = page.NextToken;
    } while (token);
    expect(sizes).toEqual([10, 10, SEEDED_LISTED - 20]);
    expect(new Set(names).size).toBe(SEEDED_LISTED);
    expect(names[0]).toBe(AWS_SEEDED_SECRETS.github);
    expect(names).not.toContain(AWS_SEEDED_SECRETS.retired);
  });

  it("works with the SDK's paginateListSecrets and reports labels and metadata", async () => {
    const entries: SecretListEntry[] = [];
    for await (const page of paginateListSecrets({ client, pageSize: 7 }, {}))
      entries.push(...(page.SecretList ?? []));
    expect(entries).toHaveLength(SEEDED_LISTED);
    const postgres = entries.find((entry) => entry.Name === AWS_SEEDED_SECRETS.postgres);
    expect(Object.values(postgres?.SecretVersionsToStages ?? {}).sort()).toEqual([
      ["AWSCURRENT"],
      ["AWSPREVIOUS"],
    ]);
    expect(postgres?.RotationEnabled).toBe(true);
    expect(postgres?.CreatedDate).toBeInstanceOf(Date);
    expect(postgres?.Tags).toContainEqual({ Key: "upstream", Value: "postgres" });
  });

  it("filters: name prefix, negation, tag-value, description, all; sorting", async () => {
    const names = async (input: ListSecretsCommandInput) =>
      ((await client.send(new ListSecretsCommand(input))).SecretList ?? []).map((secret) => secret.Name);
    expect(await names({ Filters: [{ Key: "name", Values: ["apps/"] }] })).toHaveLength(
      AWS_SEEDED_APP_SECRETS,
    );
    expect(await names({ Filters: [{ Key: "name", Values: ["!apps/"] }] })).toHaveLength(
      SEEDED_LISTED - AWS_SEEDED_APP_SECRETS,
    );
    expect(
      await names({
        Filters: [
          { Key: "name", Values: ["apps/"] },
          { Key: "tag-value", Values: ["staging"] },
        ],
      }),
    ).toHaveLength(Math.floor(AWS_SEEDED_APP_SECRETS / 3));
    expect(await names({ Filters: [{ Key: "description", Values: ["github token"] }] })).toEqual([
      AWS_SEEDED_SECRETS.github,
    ]);
    expect(await names({ Filters: [{ Key: "all", Values: ["service-07"] }] })).toEqual([
      "apps/service-07/config",
    ]);
    const byName = await names({ SortBy: "name", SortOrder: "desc", MaxResults: 3 });
    expect(byName).toEqual(["sandbox/undecryptable", "sandbox/tls-session-key", "sandbox/restricted"]);
    expect(
      await rejection(
        client.send(new ListSecretsCommand({ Filters: [{ Key: "colour" as never, Values: ["x"] }] })),
      ),
    ).toBeInstanceOf(InvalidParameterException);
  });
});

describe("BatchGetSecretValue", () => {
  it("by SecretIdList: values, and per-secret errors in Errors[]", async () => {
    const result = await client.send(
      new BatchGetSecretValueCommand({
        SecretIdList: [
          AWS_SEEDED_SECRETS.github,
          AWS_SEEDED_SECRETS.postgres,
          "no/such/secret",
          AWS_SEEDED_SECRETS.restricted,
          AWS_SEEDED_SECRETS.undecryptable,
          AWS_SEEDED_SECRETS.retired,
        ],
      }),
    );
    expect(result.SecretValues?.map((value) => value.Name)).toEqual([
      AWS_SEEDED_SECRETS.github,
      AWS_SEEDED_SECRETS.postgres,
    ]);
    expect(result.SecretValues?.[0]?.VersionStages).toEqual(["AWSCURRENT"]);
    expect(result.Errors?.map((error) => [error.SecretId, error.ErrorCode])).toEqual([
      ["no/such/secret", "ResourceNotFoundException"],
      [AWS_SEEDED_SECRETS.restricted, "AccessDeniedException"],
      [AWS_SEEDED_SECRETS.undecryptable, "DecryptionFailure"],
      [AWS_SEEDED_SECRETS.retired, "InvalidRequestException"],
    ]);
    expect(result.Errors?.[0]?.Message).toBe("Secrets Manager can't find the specified secret.");
  });

  it("by Filters, paginated (MaxResults up to 20) with paginateBatchGetSecretValue", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateBatchGetSecretValue(
      { client, pageSize: 8 },
      { Filters: [{ Key: "name", Values: ["apps/"] }] },
    )) {
      pages += 1;
      names.push(...(page.SecretValues ?? []).map((value) => value.Name as string));
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(AWS_SEEDED_APP_SECRETS);
    expect(
      await rejection(
        client.send(
          new BatchGetSecretValueCommand({ SecretIdList: ["a"], Filters: [{ Key: "name", Values: ["a"] }] }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(client.send(new BatchGetSecretValueCommand({})))).toBeInstanceOf(
      InvalidParameterException,
    );
  });
});
