import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AWS_SEEDED_SECRETS,
  GITHUB_SANDBOX_TOKEN,
  SANDBOX_POSTGRES_PASSWORDS,
  type Sandbox,
  startSandbox,
} from "../src/index.js";
import { NetGuard, rejection, secretsClient } from "./aws-helpers.js";

/** The fake Secrets Manager over real loopback HTTP, driven by the real @aws-sdk/client-secrets-manager. */

const guard = new NetGuard();
let sandbox: Sandbox<"aws-secrets">;
let client: SecretsManagerClient;
const state = () => sandbox.state["aws-secrets"];

beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  guard.install();
  sandbox = await startSandbox({ upstreams: ["aws-secrets"] });
  client = secretsClient({ endpoint: sandbox.urls["aws-secrets"] });
});
afterEach(() => sandbox.reset());
afterAll(async () => {
  client.destroy();
  await sandbox.close();
  guard.uninstall();
});

const json = (text: string | undefined) => JSON.parse(text ?? "null");

describe("GetSecretValue", () => {
  it("returns AWSCURRENT by default, by name or by ARN (full or partial)", async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.github }));
    expect(json(byName.SecretString)).toEqual({ token: GITHUB_SANDBOX_TOKEN });
    expect(byName.VersionStages).toEqual(["AWSCURRENT"]);
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    expect(byName.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:123456789012:secret:sandbox\/github-[A-Za-z0-9]{6}$/,
    );
    expect(byName.$metadata.httpStatusCode).toBe(200);
    expect(byName.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.VersionId).toBe(byName.VersionId);
    const byPartialArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN!.slice(0, -7) }));
    expect(byPartialArn.Name).toBe("sandbox/github");
  });

  it("reads by VersionStage and VersionId; a stage no version carries is ResourceNotFoundException", async () => {
    const current = await client.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.postgres }));
    expect(json(current.SecretString)).toMatchObject({
      username: "postgres",
      password: SANDBOX_POSTGRES_PASSWORDS[1],
    });
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.postgres, VersionStage: "AWSPREVIOUS" }),
    );
    expect(json(previous.SecretString).password).toBe(SANDBOX_POSTGRES_PASSWORDS[0]);
    expect(previous.VersionStages).toEqual(["AWSPREVIOUS"]);

    const byId = await client.send(
      new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.postgres, VersionId: previous.VersionId }),
    );
    expect(byId.SecretString).toBe(previous.SecretString);

    const pending = await rejection(
      client.send(
        new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.postgres, VersionStage: "AWSPENDING" }),
      ),
    );
    expect(pending).toBeInstanceOf(ResourceNotFoundException);
    expect(pending.message).toContain("staging label: AWSPENDING");

    const mismatch = await rejection(
      client.send(
        new GetSecretValueCommand({
          SecretId: AWS_SEEDED_SECRETS.postgres,
          VersionId: previous.VersionId,
          VersionStage: "AWSCURRENT",
        }),
      ),
    );
    expect(mismatch.name).toBe("ResourceNotFoundException");

    const empty = await rejection(
      client.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.empty })),
    );
    expect(empty.name).toBe("ResourceNotFoundException");
  });

  it("returns binary secrets as bytes", async () => {
    const binary = await client.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.binary }));
    expect(binary.SecretString).toBeUndefined();
    expect(binary.SecretBinary).toBeInstanceOf(Uint8Array);
    expect(binary.SecretBinary).toEqual(state().currentValue(AWS_SEEDED_SECRETS.binary));
    expect(binary.SecretBinary?.length).toBe(32);
  });
});

describe("rotation", () => {
  it("rotate() mid-run: AWSPENDING first, then AWSCURRENT moves and AWSPREVIOUS follows", async () => {
    const id = AWS_SEEDED_SECRETS.github;
    const before = await client.send(new GetSecretValueCommand({ SecretId: id }));

    const { versionId } = state().rotate(id, { token: "ghp_rotated" }, { finish: false });
    const pending = await client.send(
      new GetSecretValueCommand({ SecretId: id, VersionStage: "AWSPENDING" }),
    );
    expect(pending.VersionId).toBe(versionId);
    expect(json(pending.SecretString)).toEqual({ token: "ghp_rotated" });
    // Not finished: readers still get the old value.
    expect((await client.send(new GetSecretValueCommand({ SecretId: id }))).VersionId).toBe(before.VersionId);

    state().finishRotation(id);
    const after = await client.send(new GetSecretValueCommand({ SecretId: id }));
    expect(after.VersionId).toBe(versionId);
    expect(json(after.SecretString)).toEqual({ token: "ghp_rotated" });
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: id, VersionStage: "AWSPREVIOUS" }),
    );
    expect(previous.VersionId).toBe(before.VersionId);

    const described = await client.send(new DescribeSecretCommand({ SecretId: id }));
    expect(described.VersionIdsToStages).toEqual({
      [versionId]: ["AWSCURRENT"],
      [before.VersionId as string]: ["AWSPREVIOUS"],
    });
    expect(described.LastRotatedDate).toBeInstanceOf(Date);
  });

  it("rotate(..., { finish: true }) twice: AWSPREVIOUS leaves the oldest version, which becomes deprecated", async () => {
    const id = AWS_SEEDED_SECRETS.postgres;
    const first = state().rotate(id, "v3", { finish: true });
    const second = state().rotate(id, "v4", { finish: true });
    expect(state().stagesOf(id)).toEqual({
      [second.versionId]: ["AWSCURRENT"],
      [first.versionId]: ["AWSPREVIOUS"],
    });
    const all = await client.send(new ListSecretVersionIdsCommand({ SecretId: id, IncludeDeprecated: true }));
    expect(all.Versions?.map((version) => version.VersionStages)).toEqual([
      ["AWSCURRENT"],
      ["AWSPREVIOUS"],
      [],
      [],
    ]);
    const labelled = await client.send(new ListSecretVersionIdsCommand({ SecretId: id }));
    expect(labelled.Versions).toHaveLength(2);
  });

  it("the same through the API: PutSecretValue with AWSPENDING, then UpdateSecretVersionStage", async () => {
    const id = AWS_SEEDED_SECRETS.github;
    const old = await client.send(new GetSecretValueCommand({ SecretId: id }));
    const put = await client.send(
      new PutSecretValueCommand({
        SecretId: id,
        SecretString: '{"token":"ghp_next"}',
        VersionStages: ["AWSPENDING"],
      }),
    );
    expect(put.VersionStages).toEqual(["AWSPENDING"]);
    expect(put.VersionId).toMatch(/^[0-9a-f-]{36}$/); // the SDK's idempotency token

    // AWSCURRENT is on another version: moving it needs RemoveFromVersionId.
    const refused = await rejection(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: id,
          VersionStage: "AWSCURRENT",
          MoveToVersionId: put.VersionId,
        }),
      ),
    );
    expect(refused).toBeInstanceOf(InvalidParameterException);
    const removeCurrent = await rejection(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: id,
          VersionStage: "AWSCURRENT",
          RemoveFromVersionId: old.VersionId,
        }),
      ),
    );
    expect(removeCurrent).toBeInstanceOf(InvalidParameterException);

    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: id,
        VersionStage: "AWSCURRENT",
        MoveToVersionId: put.VersionId,
        RemoveFromVersionId: old.VersionId,
      }),
    );
    expect(state().stagesOf(id)).toEqual({
      [put.VersionId as string]: ["AWSPENDING", "AWSCURRENT"],
      [old.VersionId as string]: ["AWSPREVIOUS"],
    });
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: id,
        VersionStage: "AWSPENDING",
        RemoveFromVersionId: put.VersionId,
      }),
    );
    expect(json((await client.send(new GetSecretValueCommand({ SecretId: id }))).SecretString)).toEqual({
      token: "ghp_next",
    });
    // A custom label moves alone; AWSPREVIOUS stays where it is.
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: id,
        VersionStage: "BLUE",
        MoveToVersionId: old.VersionId,
      }),
    );
    expect(state().stagesOf(id)[old.VersionId as string]).toEqual(["AWSPREVIOUS", "BLUE"]);
  });

  it("PutSecretValue without stages takes AWSCURRENT; repeating a ClientRequestToken is idempotent", async () => {
    const id = AWS_SEEDED_SECRETS.github;
    const token = "00000000-0000-4000-a000-000000000001";
    const put = await client.send(
      new PutSecretValueCommand({ SecretId: id, SecretString: "v2", ClientRequestToken: token }),
    );
    expect(put).toMatchObject({ VersionId: token, VersionStages: ["AWSCURRENT"] });
    const again = await client.send(
      new PutSecretValueCommand({ SecretId: id, SecretString: "v2", ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(token);
    const changed = await rejection(
      client.send(new PutSecretValueCommand({ SecretId: id, SecretString: "v3", ClientRequestToken: token })),
    );
    expect(changed).toBeInstanceOf(ResourceExistsException);
    expect(Object.keys(state().stagesOf(id))).toHaveLength(2);
  });
});

describe("CreateSecret, DeleteSecret and RestoreSecret", () => {
  it("creates, refuses a duplicate, schedules deletion (then reads are InvalidRequestException) and restores", async () => {
    const created = await client.send(
      new CreateSecretCommand({
        Name: "tests/new",
        SecretString: "hello",
        Description: "made by a test",
        Tags: [{ Key: "team", Value: "qa" }],
      }),
    );
    expect(created.ARN).toContain(":secret:tests/new-");
    expect(created.VersionId).toBeDefined();
    expect((await client.send(new GetSecretValueCommand({ SecretId: "tests/new" }))).SecretString).toBe(
      "hello",
    );
    expect(
      await rejection(client.send(new CreateSecretCommand({ Name: "tests/new", SecretString: "x" }))),
    ).toBeInstanceOf(ResourceExistsException);

    const deleted = await client.send(
      new DeleteSecretCommand({ SecretId: created.ARN, RecoveryWindowInDays: 7 }),
    );
    expect(deleted.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const read = await rejection(client.send(new GetSecretValueCommand({ SecretId: "tests/new" })));
    expect(read).toBeInstanceOf(InvalidRequestException);
    expect(read.message).toContain("marked for deletion");
    expect(
      (await client.send(new DescribeSecretCommand({ SecretId: "tests/new" }))).DeletedDate,
    ).toBeInstanceOf(Date);
    const listed = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["tests/"] }] }),
    );
    expect(listed.SecretList).toEqual([]);
    const withPlanned = await client.send(
      new ListSecretsCommand({
        Filters: [{ Key: "name", Values: ["tests/"] }],
        IncludePlannedDeletion: true,
      }),
    );
    expect(withPlanned.SecretList?.map((secret) => secret.Name)).toEqual(["tests/new"]);
    expect(
      await rejection(client.send(new CreateSecretCommand({ Name: "tests/new", SecretString: "x" }))),
    ).toBeInstanceOf(InvalidRequestException);

    await client.send(new RestoreSecretCommand({ SecretId: "tests/new" }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: "tests/new" }))).SecretString).toBe(
      "hello",
    );

    await client.send(new DeleteSecretCommand({ SecretId: "tests/new", ForceDeleteWithoutRecovery: true }));
    expect(await rejection(client.send(new DescribeSecretCommand({ SecretId: "tests/new" })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("a scheduled deletion takes effect when the recovery window has passed (sandbox clock)", async () => {
    let now = Date.now();
    const clocked = await startSandbox({ upstreams: ["aws-secrets"], now: () => now });
    const local = secretsClient({ endpoint: clocked.urls["aws-secrets"] });
    try {
      expect(
        await rejection(local.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.retired }))),
      ).toBeInstanceOf(InvalidRequestException);
      now += 8 * 86_400_000;
      expect(
        await rejection(local.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.retired }))),
      ).toBeInstanceOf(ResourceNotFoundException);
    } finally {
      local.destroy();
      await clocked.close();
    }
  });
});

describe("configuration from sandbox.env alone", () => {
  it("an SDK client built from env (no endpoint, region or credentials in code) reaches the sandbox", async () => {
    const env = sandbox.env;
    expect(env).toEqual({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `${sandbox.url}/aws-secrets`,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIASANDBOX000000001",
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    const fromEnv = new SecretsManagerClient({ maxAttempts: 1 });
    try {
      const value = await fromEnv.send(new GetSecretValueCommand({ SecretId: AWS_SEEDED_SECRETS.github }));
      expect(json(value.SecretString).token).toBe(GITHUB_SANDBOX_TOKEN);
    } finally {
      fromEnv.destroy();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      process.env.AWS_EC2_METADATA_DISABLED = "true";
    }
  });
});

describe("network guard", () => {
  it("every connection of this file went to loopback; nothing touched 169.254.169.254", () => {
    expect(guard.connects.length).toBeGreaterThan(0);
    expect([...guard.connects, ...guard.lookups].some((target) => target.includes("169.254.169.254"))).toBe(
      false,
    );
    expect(guard.connects).toContain(`127.0.0.1:${sandbox.port}`);
    expect(guard.nonLoopback()).toEqual([]);
  });
});
