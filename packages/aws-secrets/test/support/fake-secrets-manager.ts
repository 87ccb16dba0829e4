import { randomUUID } from "node:crypto";
import { delay, HttpResponse, http } from "msw";
import { server } from "./msw-server.js";

/** What GetSecretValue answered with, per request: tests assert on counts, stages and hosts. */
export interface SeenRequest {
  readonly host: string;
  readonly target: string;
  readonly secretId: string;
  readonly stage: string | undefined;
  readonly signed: boolean;
}

/** An error to answer the next request with: an awsJson1.1 `__type` body, or a dropped connection. */
export type Failure =
  | { readonly type: string; readonly status?: number; readonly message?: string }
  | "network";

interface Version {
  readonly versionId: string;
  readonly secretString?: string;
  readonly secretBinary?: Uint8Array;
  stages: string[];
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly versions: Version[];
}

const JSON_11 = { "content-type": "application/x-amz-json-1.1" };

/**
 * A small in-memory Secrets Manager speaking the awsJson1.1 protocol the SDK uses: `POST /` with
 * `x-amz-target: secretsmanager.GetSecretValue`, errors as HTTP 400/500 with `{"__type", "message"}`.
 * Answers on every host (regional endpoints and loopback endpoint overrides alike) and records the host.
 */
export class FakeSecretsManager {
  readonly requests: SeenRequest[] = [];
  /** Answered in order, one per request, before the secrets are served again. */
  readonly failures: Failure[] = [];
  /** Answer every request with this error (after `failures`), until cleared. */
  alwaysFail: Failure | undefined;
  /** Wait this long before answering. */
  delayMs = 0;
  private readonly secrets = new Map<string, Secret>();

  constructor(readonly region = "us-east-1") {}

  /** Installs the handler on the test file's MSW server (reset after each test). */
  install(): this {
    server.use(http.post("*", ({ request }) => this.handle(request)));
    return this;
  }

  /** Stores a new version labelled AWSCURRENT (the previous AWSCURRENT becomes AWSPREVIOUS). */
  put(name: string, value: string | Uint8Array): string {
    return this.addVersion(name, value, "AWSCURRENT");
  }

  /** Stores a new version labelled AWSPENDING, as a rotation's createSecret step does. */
  putPending(name: string, value: string | Uint8Array): string {
    return this.addVersion(name, value, "AWSPENDING");
  }

  /** finishSecret: AWSCURRENT moves to the pending version, the old current becomes AWSPREVIOUS. */
  finishRotation(name: string): void {
    const secret = this.secret(name);
    const pending = secret.versions.find((version) => version.stages.includes("AWSPENDING"));
    if (!pending) throw new Error(`no AWSPENDING version of ${name}`);
    this.moveStage(secret, "AWSPREVIOUS", undefined);
    const current = secret.versions.find((version) => version.stages.includes("AWSCURRENT"));
    if (current)
      current.stages = [...current.stages.filter((stage) => stage !== "AWSCURRENT"), "AWSPREVIOUS"];
    pending.stages = pending.stages.filter((stage) => stage !== "AWSPENDING");
    pending.stages.push("AWSCURRENT");
  }

  /** Drops the AWSPENDING label (a cancelled rotation). */
  dropPending(name: string): void {
    this.moveStage(this.secret(name), "AWSPENDING", undefined);
  }

  count(stage?: string): number {
    return this.requests.filter((request) => stage === undefined || (request.stage ?? "AWSCURRENT") === stage)
      .length;
  }

  private addVersion(name: string, value: string | Uint8Array, stage: string): string {
    let secret = this.secrets.get(name);
    if (!secret) {
      secret = {
        name,
        arn: `arn:aws:secretsmanager:${this.region}:123456789012:secret:${name}-AbCdEf`,
        versions: [],
      };
      this.secrets.set(name, secret);
    }
    if (stage === "AWSCURRENT") {
      const current = secret.versions.find((version) => version.stages.includes("AWSCURRENT"));
      this.moveStage(secret, "AWSPREVIOUS", undefined);
      if (current)
        current.stages = [...current.stages.filter((label) => label !== "AWSCURRENT"), "AWSPREVIOUS"];
    } else {
      this.moveStage(secret, stage, undefined);
    }
    const versionId = randomUUID();
    secret.versions.push({
      versionId,
      ...(typeof value === "string" ? { secretString: value } : { secretBinary: value }),
      stages: [stage],
    });
    return versionId;
  }

  private moveStage(secret: Secret, stage: string, to: Version | undefined): void {
    for (const version of secret.versions) version.stages = version.stages.filter((label) => label !== stage);
    to?.stages.push(stage);
  }

  private secret(idOrArn: string): Secret {
    const secret = this.find(idOrArn);
    if (!secret) throw new Error(`no secret ${idOrArn}`);
    return secret;
  }

  private find(idOrArn: string): Secret | undefined {
    return this.secrets.get(idOrArn) ?? [...this.secrets.values()].find((secret) => secret.arn === idOrArn);
  }

  private async handle(request: Request): Promise<Response | undefined> {
    const target = request.headers.get("x-amz-target") ?? "";
    if (!target.startsWith("secretsmanager.")) return undefined;
    const body = (await request.json()) as { SecretId?: string; VersionStage?: string; VersionId?: string };
    this.requests.push({
      host: new URL(request.url).host,
      target,
      secretId: body.SecretId ?? "",
      stage: body.VersionStage,
      signed: (request.headers.get("authorization") ?? "").startsWith("AWS4-HMAC-SHA256"),
    });
    if (this.delayMs > 0) await delay(this.delayMs);
    const failure = this.failures.shift() ?? this.alwaysFail;
    if (failure === "network") return HttpResponse.error();
    if (failure) return this.error(failure.type, failure.message ?? `${failure.type} (fake)`, failure.status);
    if (target !== "secretsmanager.GetSecretValue") {
      return this.error("UnknownOperationException", `Unknown operation ${target}`);
    }
    if (request.headers.get("content-type") !== "application/x-amz-json-1.1") {
      return this.error("SerializationException", "Expected application/x-amz-json-1.1");
    }
    const secret = this.find(body.SecretId ?? "");
    if (!secret)
      return this.error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    const stage = body.VersionStage ?? (body.VersionId ? undefined : "AWSCURRENT");
    const version = secret.versions.find((candidate) =>
      stage ? candidate.stages.includes(stage) : candidate.versionId === body.VersionId,
    );
    if (!version) {
      return this.error(
        "ResourceNotFoundException",
        `Secrets Manager can't find the specified secret value for staging label: ${stage ?? ""}`,
      );
    }
    return HttpResponse.json(
      {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
        ...(version.secretBinary !== undefined
          ? { SecretBinary: Buffer.from(version.secretBinary).toString("base64") }
          : {}),
        VersionStages: version.stages,
        CreatedDate: 1_790_000_000.123,
      },
      { headers: { ...JSON_11, "x-amzn-requestid": randomUUID() } },
    );
  }

  private error(type: string, message: string, status = 400): Response {
    return HttpResponse.json(
      { __type: type, message },
      { status, headers: { ...JSON_11, "x-amzn-requestid": `req-${randomUUID()}` } },
    );
  }
}

/** A client config that can only ever reach the fake: static credentials, a fixed region. */
export const TEST_CLIENT_CONFIG = {
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDSWITCHYARDTEST", secretAccessKey: "switchyard-test-secret-access-key" },
} as const;
