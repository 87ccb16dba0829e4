import { type Random, seededRandom } from "../shared/seeded-random.js";
import {
  AwsSecretsError,
  type AwsSecretsErrorName,
  invalidParameter,
  invalidRequest,
  notFound,
} from "./aws-secrets-errors.js";
import {
  AWS_SANDBOX_ACCESS_KEY_ID,
  AWS_SANDBOX_SECRET_ACCESS_KEY,
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  type AwsCredentials,
  type AwsSecretsOperation,
  type AwsTag,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_AWS_SECRETS_RATE_LIMITS,
  DEFAULT_REGION,
  dayOf,
  type SecretRecord,
  type SecretValueInput,
  type SecretVersionRecord,
} from "./aws-secrets-model.js";
import { seedAwsSecrets } from "./aws-secrets-seed.js";

/** A secret to create, by the seed, by `options.secrets` or by `state.createSecret()`. */
export interface NewSecret {
  readonly name: string;
  /** The first version's value (with AWSCURRENT); without one the secret has no version yet. */
  readonly value?: SecretValueInput;
  readonly versionId?: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags?: readonly AwsTag[];
  /** Deny every operation on it (`true`) or the listed ones. */
  readonly accessDenied?: boolean | readonly AwsSecretsOperation[];
  /** Reads of its value fail with `DecryptionFailure`. */
  readonly decryptionFailure?: boolean;
  readonly rotationEnabled?: boolean;
  /** Epoch ms; default now. */
  readonly createdDate?: number;
}

export interface AwsSecretsStateOptions {
  /** Seed of the starting data (ARN suffixes, version ids); default 1. */
  readonly seed?: number;
  /** Clock (epoch ms): created dates, deletion windows, throttling windows; default Date.now. */
  readonly now?: () => number;
  /** Default `us-east-1`; requests signed for another region get `InvalidSignatureException`. */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
  /** Requests per second per operation before `ThrottlingException`; default the service quotas. */
  readonly rateLimits?: Partial<Record<AwsSecretsOperation, number>>;
  /** Access keys accepted besides the sandbox's own (`AKIASANDBOX000000001`). */
  readonly credentials?: readonly AwsCredentials[];
  /** Secrets created after the seeded ones. */
  readonly secrets?: readonly NewSecret[];
  /** Start without the seeded secrets (only `secrets`). Default true. */
  readonly seedSecrets?: boolean;
}

/** An error queued with `failNext()`. */
interface InjectedError {
  readonly error: AwsSecretsErrorName;
  readonly operation: AwsSecretsOperation | undefined;
  readonly secretId: string | undefined;
  readonly message: string | undefined;
  remaining: number;
}

export interface ReadOptions {
  readonly versionId?: string | undefined;
  readonly stage?: string | undefined;
}

const WINDOW_MS = 1000;
const MAX_DEPRECATED_VERSIONS = 100;
const MAX_STAGES_PER_VERSION = 20;
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const MAX_SECRET_BYTES = 65_536;

function uuidFrom(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function suffixFrom(random: Random): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 6 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
}

function toStored(value: SecretValueInput): { secretString?: string; secretBinary?: Uint8Array } {
  if (typeof value === "string") return { secretString: value };
  if (value instanceof Uint8Array) return { secretBinary: new Uint8Array(value) };
  return { secretString: JSON.stringify(value) };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/**
 * The fake Secrets Manager's data: secrets with versions and staging labels, scheduled deletions, issued
 * access keys, per-operation throttling and switchable per-secret failures. Label moves follow the service:
 * each label is on at most one version, and moving AWSCURRENT puts AWSPREVIOUS on the version it left.
 */
export class AwsSecretsState {
  readonly now: () => number;
  readonly region: string;
  readonly accountId: string;
  readonly #options: AwsSecretsStateOptions;
  readonly #secrets = new Map<string, SecretRecord>();
  readonly #credentials = new Map<string, AwsCredentials>();
  readonly #rateLimits = new Map<AwsSecretsOperation, number>();
  readonly #arrivals = new Map<AwsSecretsOperation, number[]>();
  #injected: InjectedError[] = [];
  /** Access keys issued with `issueCredentials()` since the last reset (ids are never reused). */
  #issued = 0;
  #random: Random;
  /** Calls that got past authentication, per operation. */
  readonly calls: Partial<Record<AwsSecretsOperation, number>> = {};

  constructor(options: AwsSecretsStateOptions = {}) {
    this.#options = options;
    this.now = options.now ?? Date.now;
    this.region = options.region ?? DEFAULT_REGION;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.#random = seededRandom(options.seed ?? 1);
    this.reset();
  }

  /** Back to the seed: secrets, access keys, rate limits, queued failures and call counts. */
  reset(): void {
    this.#random = seededRandom(this.#options.seed ?? 1);
    this.#secrets.clear();
    this.#credentials.clear();
    this.#issued = 0;
    this.#credentials.set(AWS_SANDBOX_ACCESS_KEY_ID, {
      accessKeyId: AWS_SANDBOX_ACCESS_KEY_ID,
      secretAccessKey: AWS_SANDBOX_SECRET_ACCESS_KEY,
    });
    for (const credentials of this.#options.credentials ?? []) {
      this.#credentials.set(credentials.accessKeyId, credentials);
    }
    this.#rateLimits.clear();
    for (const [operation, limit] of Object.entries({
      ...DEFAULT_AWS_SECRETS_RATE_LIMITS,
      ...this.#options.rateLimits,
    })) {
      this.#rateLimits.set(operation as AwsSecretsOperation, limit);
    }
    this.#arrivals.clear();
    this.#injected = [];
    for (const key of Object.keys(this.calls)) delete this.calls[key as AwsSecretsOperation];
    if (this.#options.seedSecrets !== false) seedAwsSecrets(this);
    for (const secret of this.#options.secrets ?? []) this.createSecret(secret);
  }

  // ---- credentials --------------------------------------------------------------------------------------

  /** The access key `env()` hands out (accepted until revoked). */
  get credentials(): AwsCredentials {
    return { accessKeyId: AWS_SANDBOX_ACCESS_KEY_ID, secretAccessKey: AWS_SANDBOX_SECRET_ACCESS_KEY };
  }

  /** Issues a new access key the fake accepts. */
  issueCredentials(): AwsCredentials {
    this.#issued += 1;
    const id = `AKIASANDBOX${String(this.#issued + 1).padStart(9, "0")}`;
    const credentials = {
      accessKeyId: id,
      secretAccessKey: `sandbox/${uuidFrom(this.#random)}`.slice(0, 40),
    };
    this.#credentials.set(id, credentials);
    return credentials;
  }

  /** Stops accepting an access key: requests signed with it get `UnrecognizedClientException`. */
  revokeCredentials(accessKeyId: string): boolean {
    return this.#credentials.delete(accessKeyId);
  }

  isIssuedAccessKey(accessKeyId: string): boolean {
    return this.#credentials.has(accessKeyId);
  }

  // ---- throttling and injected failures -----------------------------------------------------------------

  /** Requests per second an operation takes before `ThrottlingException` (undefined: back to the default). */
  setRateLimit(operation: AwsSecretsOperation | "*", requestsPerSecond: number | undefined): void {
    const operations =
      operation === "*"
        ? (Object.keys(DEFAULT_AWS_SECRETS_RATE_LIMITS) as AwsSecretsOperation[])
        : [operation];
    for (const name of operations) {
      if (requestsPerSecond !== undefined && !(requestsPerSecond >= 0)) {
        throw new TypeError("requestsPerSecond is a number >= 0.");
      }
      this.#rateLimits.set(name, requestsPerSecond ?? DEFAULT_AWS_SECRETS_RATE_LIMITS[name]);
      this.#arrivals.delete(name);
    }
  }

  get rateLimits(): Readonly<Record<AwsSecretsOperation, number>> {
    return Object.fromEntries(this.#rateLimits) as Record<AwsSecretsOperation, number>;
  }

  /** Counts a request against its operation's rate; true when it is over the limit (and was not counted). */
  throttled(operation: AwsSecretsOperation): boolean {
    const limit = this.#rateLimits.get(operation) ?? Number.POSITIVE_INFINITY;
    const now = this.now();
    const arrivals = this.#arrivals.get(operation) ?? [];
    while (arrivals.length > 0 && (arrivals[0] as number) <= now - WINDOW_MS) arrivals.shift();
    if (arrivals.length >= limit) return true;
    arrivals.push(now);
    this.#arrivals.set(operation, arrivals);
    return false;
  }

  /**
   * Makes the next `count` (1) matching calls fail with `error`, e.g. `failNext("InternalServiceError",
   * { operation: "GetSecretValue" })`. `secretId` narrows it to calls naming that secret (name or ARN).
   */
  failNext(
    error: AwsSecretsErrorName,
    options: {
      readonly operation?: AwsSecretsOperation;
      readonly secretId?: string;
      readonly count?: number;
      readonly message?: string;
    } = {},
  ): void {
    this.#injected.push({
      error,
      operation: options.operation,
      secretId: options.secretId,
      message: options.message,
      remaining: options.count ?? 1,
    });
  }

  /** The queued failure that applies to this call, if any (consumed). */
  takeInjectedError(operation: AwsSecretsOperation, secretId: unknown): AwsSecretsError | undefined {
    for (const injected of this.#injected) {
      if (injected.operation !== undefined && injected.operation !== operation) continue;
      if (injected.secretId !== undefined) {
        const wanted = this.find(injected.secretId);
        const named = typeof secretId === "string" ? this.find(secretId) : undefined;
        if (secretId !== injected.secretId && (wanted === undefined || wanted !== named)) continue;
      }
      injected.remaining -= 1;
      if (injected.remaining <= 0) this.#injected = this.#injected.filter((entry) => entry !== injected);
      return new AwsSecretsError(injected.error, injected.message);
    }
    return undefined;
  }

  countCall(operation: AwsSecretsOperation): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
  }

  // ---- per-secret switches ------------------------------------------------------------------------------

  /** Denies every operation on a secret (`true`), the listed ones, or none (`false`). */
  denyAccess(secretId: string, operations: boolean | readonly AwsSecretsOperation[] = true): void {
    const record = this.require(secretId);
    record.accessDenied = typeof operations === "boolean" ? operations : new Set(operations);
  }

  /** Makes reads of a secret's value fail with `DecryptionFailure` (or stop failing). */
  failDecryption(secretId: string, failing = true): void {
    this.require(secretId).decryptionFailure = failing;
  }

  isDenied(record: SecretRecord, operation: AwsSecretsOperation): boolean {
    return (
      record.accessDenied === true || (record.accessDenied !== false && record.accessDenied.has(operation))
    );
  }

  // ---- lookups --------------------------------------------------------------------------------------------

  /** Every secret, scheduled deletions included, in creation order. */
  secrets(): SecretRecord[] {
    this.#purgeExpired();
    return [...this.#secrets.values()];
  }

  /** A secret by name, full ARN or partial ARN (without the 6-character suffix); undefined if none. */
  find(secretId: string): SecretRecord | undefined {
    this.#purgeExpired();
    const byName = this.#secrets.get(secretId);
    if (byName) return byName;
    if (!secretId.startsWith("arn:")) return undefined;
    for (const record of this.#secrets.values()) {
      if (record.arn === secretId || record.arn.slice(0, -7) === secretId) return record;
    }
    return undefined;
  }

  /** Like `find`, but `ResourceNotFoundException` when there is no such secret. */
  require(secretId: string): SecretRecord {
    const record = this.find(secretId);
    if (!record) throw notFound();
    return record;
  }

  /** The version a read asks for: `versionId` and/or `stage`, default AWSCURRENT. */
  readVersion(record: SecretRecord, options: ReadOptions = {}): SecretVersionRecord {
    const { versionId, stage } = options;
    if (versionId !== undefined) {
      const version = record.versions.get(versionId);
      if (!version || (stage !== undefined && !version.stages.has(stage))) {
        throw notFound(
          stage === undefined
            ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`
            : `Secrets Manager can't find the specified secret value for VersionId: ${versionId} and staging label: ${stage}`,
        );
      }
      return version;
    }
    const label = stage ?? AWSCURRENT;
    const version = this.#holder(record, label);
    if (!version) {
      throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${label}`);
    }
    return version;
  }

  /** The value a label (default AWSCURRENT) points at: a string, bytes, or undefined. */
  currentValue(secretId: string, stage = AWSCURRENT): string | Uint8Array | undefined {
    const record = this.find(secretId);
    const version = record && this.#holder(record, stage);
    return version?.secretString ?? version?.secretBinary;
  }

  /** `{ versionId: labels }` for the versions that carry a label (as DescribeSecret's `VersionIdsToStages`). */
  stagesOf(secretId: string): Record<string, string[]> {
    const record = this.require(secretId);
    return Object.fromEntries(
      [...record.versions.values()]
        .filter((version) => version.stages.size > 0)
        .map((version) => [version.versionId, [...version.stages]]),
    );
  }

  /** Records a read of the value (LastAccessedDate, by day). */
  markAccessed(record: SecretRecord, version: SecretVersionRecord): void {
    const day = dayOf(this.now());
    record.lastAccessedDate = day;
    version.lastAccessedDate = day;
  }

  // ---- writes ---------------------------------------------------------------------------------------------

  createSecret(input: NewSecret): { record: SecretRecord; version: SecretVersionRecord | undefined } {
    if (!NAME_PATTERN.test(input.name)) {
      throw invalidParameter(
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
      );
    }
    const existing = this.find(input.name);
    if (existing?.deletionDate !== undefined) {
      throw invalidRequest(
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing)
      throw new AwsSecretsError(
        "ResourceExistsException",
        `The operation failed because the secret ${input.name} already exists.`,
      );
    const created = input.createdDate ?? this.now();
    const record: SecretRecord = {
      arn: `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${input.name}-${suffixFrom(this.#random)}`,
      name: input.name,
      description: input.description,
      kmsKeyId: input.kmsKeyId,
      tags: [...(input.tags ?? [])],
      createdDate: created,
      lastChangedDate: created,
      lastAccessedDate: undefined,
      lastRotatedDate: undefined,
      rotationEnabled: input.rotationEnabled ?? false,
      deletionDate: undefined,
      deletedDate: undefined,
      versions: new Map(),
      accessDenied:
        input.accessDenied === undefined || typeof input.accessDenied === "boolean"
          ? (input.accessDenied ?? false)
          : new Set(input.accessDenied),
      decryptionFailure: input.decryptionFailure ?? false,
    };
    this.#secrets.set(record.name, record);
    const version =
      input.value === undefined
        ? undefined
        : this.#addVersion(record, input.value, [AWSCURRENT], input.versionId, created);
    return { record, version };
  }

  /**
   * A new version (PutSecretValue): `stages` default `[AWSCURRENT]`; each label moves onto it. With a
   * `versionId` that exists already: the same value is an idempotent repeat, a different one is
   * `ResourceExistsException`.
   */
  putSecretValue(
    secretId: string,
    value: SecretValueInput,
    options: {
      readonly versionId?: string | undefined;
      readonly stages?: readonly string[] | undefined;
    } = {},
  ): { record: SecretRecord; version: SecretVersionRecord } {
    const record = this.require(secretId);
    this.assertNotDeleted(record);
    const stored = toStored(value);
    if (options.versionId !== undefined) {
      const existing = record.versions.get(options.versionId);
      if (existing) {
        if (
          existing.secretString === stored.secretString &&
          sameBytes(existing.secretBinary, stored.secretBinary)
        ) {
          return { record, version: existing };
        }
        throw new AwsSecretsError(
          "ResourceExistsException",
          "You can't modify an existing version, you can only create a new version.",
        );
      }
    }
    const version = this.#addVersion(record, value, options.stages ?? [AWSCURRENT], options.versionId);
    return { record, version };
  }

  /**
   * UpdateSecretVersionStage: moves `stage` to `moveToVersionId` (if it is on another version, that one must
   * be named as `removeFromVersionId`), or removes it from `removeFromVersionId`. AWSCURRENT can only move,
   * and moving it puts AWSPREVIOUS on the version it left.
   */
  updateVersionStage(
    secretId: string,
    stage: string,
    options: {
      readonly moveToVersionId?: string | undefined;
      readonly removeFromVersionId?: string | undefined;
    },
  ): SecretRecord {
    const record = this.require(secretId);
    this.assertNotDeleted(record);
    if (stage.length < 1 || stage.length > 256) throw invalidParameter("Invalid VersionStage.");
    const { moveToVersionId, removeFromVersionId } = options;
    if (moveToVersionId === undefined && removeFromVersionId === undefined) {
      throw invalidParameter("You must specify MoveToVersionId, RemoveFromVersionId, or both.");
    }
    const holder = this.#holder(record, stage);
    if (removeFromVersionId !== undefined) {
      if (!record.versions.has(removeFromVersionId)) {
        throw notFound(`Secrets Manager can't find the specified secret version: ${removeFromVersionId}`);
      }
      if (holder?.versionId !== removeFromVersionId) {
        throw invalidParameter(
          `The staging label ${stage} is not attached to version ${removeFromVersionId}, so you can't remove it.`,
        );
      }
    }
    if (moveToVersionId === undefined) {
      if (stage === AWSCURRENT) {
        throw invalidParameter(
          "You can't remove the staging label AWSCURRENT from a version; move it to another version instead.",
        );
      }
      holder?.stages.delete(stage);
    } else {
      const target = record.versions.get(moveToVersionId);
      if (!target)
        throw notFound(`Secrets Manager can't find the specified secret version: ${moveToVersionId}`);
      if (holder && holder !== target && removeFromVersionId === undefined) {
        throw invalidParameter(
          `The staging label ${stage} is currently attached to version ${holder.versionId}. To move it, specify that version as RemoveFromVersionId.`,
        );
      }
      if (!target.stages.has(stage) && target.stages.size >= MAX_STAGES_PER_VERSION) {
        throw new AwsSecretsError("LimitExceededException", "A version can have at most 20 staging labels.");
      }
      this.#moveLabel(record, stage, target);
    }
    record.lastChangedDate = this.now();
    this.#pruneDeprecated(record);
    return record;
  }

  /**
   * Rotation in one call, for tests that rotate mid-run: a new version with AWSPENDING (the label leaves any
   * other version); with `finish` (default true) AWSCURRENT then moves onto it, AWSPREVIOUS onto the version
   * that had AWSCURRENT, and AWSPENDING is removed, as after a completed rotation.
   */
  rotate(
    secretId: string,
    newValue: SecretValueInput,
    options: { readonly finish?: boolean; readonly versionId?: string } = {},
  ): { versionId: string } {
    const record = this.require(secretId);
    this.assertNotDeleted(record);
    const version = this.#addVersion(record, newValue, [AWSPENDING], options.versionId);
    if (options.finish ?? true) this.finishRotation(secretId);
    return { versionId: version.versionId };
  }

  /** Completes a rotation started with `rotate(..., { finish: false })`: AWSCURRENT moves to the AWSPENDING version. */
  finishRotation(secretId: string): { versionId: string } {
    const record = this.require(secretId);
    this.assertNotDeleted(record);
    const pending = this.#holder(record, AWSPENDING);
    if (!pending)
      throw invalidRequest(`The secret ${record.name} has no version with the staging label AWSPENDING.`);
    this.#moveLabel(record, AWSCURRENT, pending);
    pending.stages.delete(AWSPENDING);
    const now = this.now();
    record.lastRotatedDate = now;
    record.lastChangedDate = now;
    this.#pruneDeprecated(record);
    return { versionId: pending.versionId };
  }

  /** DeleteSecret: scheduled after `recoveryWindowInDays` (7-30, default 30), or now with `force`. */
  deleteSecret(
    secretId: string,
    options: {
      readonly recoveryWindowInDays?: number | undefined;
      readonly force?: boolean | undefined;
    } = {},
  ): { record: SecretRecord; deletionDate: number } {
    const record = this.require(secretId);
    const now = this.now();
    if (options.force) {
      this.#secrets.delete(record.name);
      return { record, deletionDate: now };
    }
    if (record.deletionDate !== undefined) {
      throw invalidRequest("You tried to perform the operation on a secret that's currently marked deleted.");
    }
    const days = options.recoveryWindowInDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    record.deletedDate = now;
    record.deletionDate = now + days * 86_400_000;
    record.lastChangedDate = now;
    return { record, deletionDate: record.deletionDate };
  }

  /** RestoreSecret: cancels a scheduled deletion. */
  restoreSecret(secretId: string): SecretRecord {
    const record = this.require(secretId);
    record.deletionDate = undefined;
    record.deletedDate = undefined;
    record.lastChangedDate = this.now();
    return record;
  }

  /** `InvalidRequestException` for a secret scheduled for deletion. */
  assertNotDeleted(record: SecretRecord): void {
    if (record.deletionDate !== undefined) {
      throw invalidRequest(
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
  }

  /** A small picture for `GET /__sandbox/state`. */
  summary(): unknown {
    const secrets = this.secrets();
    return {
      region: this.region,
      accountId: this.accountId,
      secrets: secrets.length,
      scheduledForDeletion: secrets.filter((secret) => secret.deletionDate !== undefined).map((s) => s.name),
      names: secrets.map((secret) => secret.name),
      calls: { ...this.calls },
    };
  }

  // ---- internals -------------------------------------------------------------------------------------------

  #holder(record: SecretRecord, stage: string): SecretVersionRecord | undefined {
    for (const version of record.versions.values()) if (version.stages.has(stage)) return version;
    return undefined;
  }

  /** Puts `stage` on `target` alone; moving AWSCURRENT puts AWSPREVIOUS on the version it left. */
  #moveLabel(record: SecretRecord, stage: string, target: SecretVersionRecord): void {
    const from = this.#holder(record, stage);
    if (from === target) return;
    from?.stages.delete(stage);
    target.stages.add(stage);
    if (stage === AWSCURRENT && from) {
      this.#holder(record, AWSPREVIOUS)?.stages.delete(AWSPREVIOUS);
      from.stages.add(AWSPREVIOUS);
    }
  }

  #addVersion(
    record: SecretRecord,
    value: SecretValueInput,
    stages: readonly string[],
    versionId: string | undefined,
    created = this.now(),
  ): SecretVersionRecord {
    const stored = toStored(value);
    const size =
      stored.secretString !== undefined
        ? Buffer.byteLength(stored.secretString)
        : stored.secretBinary?.length;
    if ((size ?? 0) > MAX_SECRET_BYTES) {
      throw invalidParameter("The secret value exceeds the maximum size of 65,536 bytes.");
    }
    if (stages.length > MAX_STAGES_PER_VERSION) {
      throw new AwsSecretsError("LimitExceededException", "A version can have at most 20 staging labels.");
    }
    const id = versionId ?? uuidFrom(this.#random);
    if (record.versions.has(id)) {
      throw new AwsSecretsError(
        "ResourceExistsException",
        "You can't modify an existing version, you can only create a new version.",
      );
    }
    const version: SecretVersionRecord = {
      versionId: id,
      secretString: stored.secretString,
      secretBinary: stored.secretBinary,
      createdDate: created,
      lastAccessedDate: undefined,
      stages: new Set(),
    };
    record.versions.set(id, version);
    for (const stage of new Set(stages)) this.#moveLabel(record, stage, version);
    record.lastChangedDate = created;
    this.#pruneDeprecated(record);
    return version;
  }

  /** Versions without a label are deprecated; the service keeps at most 100 of them. */
  #pruneDeprecated(record: SecretRecord): void {
    const deprecated = [...record.versions.values()].filter((version) => version.stages.size === 0);
    for (const version of deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED_VERSIONS))) {
      record.versions.delete(version.versionId);
    }
  }

  /** Secrets whose recovery window has passed are gone. */
  #purgeExpired(): void {
    const now = this.now();
    for (const [name, record] of this.#secrets) {
      if (record.deletionDate !== undefined && record.deletionDate <= now) this.#secrets.delete(name);
    }
  }
}
