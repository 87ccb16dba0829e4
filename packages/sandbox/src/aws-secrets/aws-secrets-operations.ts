import { AwsSecretsError, invalidParameter } from "./aws-secrets-errors.js";
import {
  type AwsSecretsOperation,
  type AwsTag,
  epochSeconds,
  type SecretRecord,
  type SecretValueInput,
  type SecretVersionRecord,
} from "./aws-secrets-model.js";
import type { AwsSecretsState } from "./aws-secrets-state.js";

/**
 * The operations, JSON in and JSON out (awsJson1.1 member names, timestamps as epoch seconds, blobs as
 * base64). Errors are thrown as `AwsSecretsError`.
 */

type Input = Readonly<Record<string, unknown>>;
type Output = Record<string, unknown>;

export interface OperationContext {
  readonly state: AwsSecretsState;
  readonly operation: AwsSecretsOperation;
}

// ---- input checks ------------------------------------------------------------------------------------------

function optionalString(input: Input, key: string, max = 2048): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length < 1 || value.length > max) {
    throw invalidParameter(`Invalid ${key}: a string of 1 to ${max} characters.`);
  }
  return value;
}

function requiredString(input: Input, key: string, max = 2048): string {
  const value = optionalString(input, key, max);
  if (value === undefined) throw invalidParameter(`You must provide ${key}.`);
  return value;
}

function optionalInteger(input: Input, key: string, min: number, max: number): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`Invalid ${key}: an integer from ${min} to ${max}.`);
  }
  return value;
}

function optionalBoolean(input: Input, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidParameter(`Invalid ${key}: a boolean.`);
  return value;
}

function optionalStringList(input: Input, key: string, maxItems: number): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    value.length < 1 ||
    value.length > maxItems ||
    value.some((item) => typeof item !== "string" || item.length < 1 || item.length > 2048)
  ) {
    throw invalidParameter(`Invalid ${key}: a list of 1 to ${maxItems} non-empty strings.`);
  }
  return value as string[];
}

function clientRequestToken(input: Input): string | undefined {
  const token = optionalString(input, "ClientRequestToken", 64);
  if (token !== undefined && token.length < 32) {
    throw invalidParameter("ClientRequestToken must be 32 to 64 characters long.");
  }
  return token;
}

/** SecretString or SecretBinary (base64), exactly one of them, unless `optional`. */
function secretValue(input: Input, optional: boolean): SecretValueInput | undefined {
  const text = input.SecretString;
  const binary = input.SecretBinary;
  if (text !== undefined && text !== null && binary !== undefined && binary !== null) {
    throw invalidParameter("You can't specify both SecretString and SecretBinary.");
  }
  if (text !== undefined && text !== null) {
    if (typeof text !== "string") throw invalidParameter("Invalid SecretString: a string.");
    return text;
  }
  if (binary !== undefined && binary !== null) {
    if (typeof binary !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(binary)) {
      throw invalidParameter("Invalid SecretBinary: base64-encoded bytes.");
    }
    return new Uint8Array(Buffer.from(binary, "base64"));
  }
  if (optional) return undefined;
  throw invalidParameter("You must provide either SecretString or SecretBinary.");
}

function tags(input: Input): AwsTag[] | undefined {
  const value = input.Tags;
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    value.length > 50 ||
    value.some(
      (tag) =>
        typeof tag !== "object" ||
        tag === null ||
        typeof (tag as AwsTag).Key !== "string" ||
        typeof (tag as AwsTag).Value !== "string",
    )
  ) {
    throw invalidParameter("Invalid Tags: up to 50 { Key, Value } pairs of strings.");
  }
  return (value as AwsTag[]).map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}

// ---- access checks -----------------------------------------------------------------------------------------

/** The secret a call names, with the per-secret AccessDeniedException switch applied. */
function secretFor(context: OperationContext, secretId: string): SecretRecord {
  const record = context.state.require(secretId);
  denyIfConfigured(context, record, secretId);
  return record;
}

function denyIfConfigured(context: OperationContext, record: SecretRecord, secretId: string): void {
  if (!context.state.isDenied(record, context.operation)) return;
  const { state, operation } = context;
  throw new AwsSecretsError(
    "AccessDeniedException",
    `User: arn:aws:iam::${state.accountId}:user/sandbox is not authorized to perform: secretsmanager:${operation} on resource: ${secretId} because no identity-based policy allows the secretsmanager:${operation} action`,
  );
}

function decrypt(record: SecretRecord): void {
  if (record.decryptionFailure) {
    throw new AwsSecretsError(
      "DecryptionFailure",
      "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    );
  }
}

// ---- serialisation -----------------------------------------------------------------------------------------

function valueEntry(record: SecretRecord, version: SecretVersionRecord): Output {
  return {
    ARN: record.arn,
    Name: record.name,
    VersionId: version.versionId,
    ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
    ...(version.secretBinary !== undefined
      ? { SecretBinary: Buffer.from(version.secretBinary).toString("base64") }
      : {}),
    VersionStages: [...version.stages],
    CreatedDate: epochSeconds(version.createdDate),
  };
}

function versionsToStages(record: SecretRecord): Record<string, string[]> {
  return Object.fromEntries(
    [...record.versions.values()]
      .filter((version) => version.stages.size > 0)
      .map((version) => [version.versionId, [...version.stages]]),
  );
}

function metadata(record: SecretRecord): Output {
  const optional = (key: string, ms: number | undefined) =>
    ms === undefined ? {} : { [key]: epochSeconds(ms) };
  return {
    ARN: record.arn,
    Name: record.name,
    ...(record.description !== undefined ? { Description: record.description } : {}),
    ...(record.kmsKeyId !== undefined ? { KmsKeyId: record.kmsKeyId } : {}),
    RotationEnabled: record.rotationEnabled,
    ...optional("LastRotatedDate", record.lastRotatedDate),
    LastChangedDate: epochSeconds(record.lastChangedDate),
    ...optional("LastAccessedDate", record.lastAccessedDate),
    ...optional("DeletedDate", record.deletedDate),
    Tags: record.tags.map((tag) => ({ ...tag })),
    CreatedDate: epochSeconds(record.createdDate),
  };
}

// ---- filters and pagination --------------------------------------------------------------------------------

const FILTER_KEYS = [
  "description",
  "name",
  "tag-key",
  "tag-value",
  "primary-region",
  "owning-service",
  "all",
];

interface Filter {
  readonly key: string;
  readonly values: readonly string[];
}

function filters(input: Input): Filter[] | undefined {
  const value = input.Filters;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 10)
    throw invalidParameter("Invalid Filters: up to 10 filters.");
  return value.map((filter: unknown) => {
    const { Key: key, Values: values } = (filter ?? {}) as { Key?: unknown; Values?: unknown };
    if (typeof key !== "string" || !FILTER_KEYS.includes(key)) {
      throw invalidParameter(`Invalid filter key. Valid keys: ${FILTER_KEYS.join(", ")}.`);
    }
    if (
      !Array.isArray(values) ||
      values.length < 1 ||
      values.length > 10 ||
      values.some((item) => typeof item !== "string" || item.length < 1 || item.length > 512)
    ) {
      throw invalidParameter("Invalid filter values: 1 to 10 strings of up to 512 characters.");
    }
    return { key, values: values as string[] };
  });
}

function attributeMatches(record: SecretRecord, key: string, value: string): boolean {
  const prefix = (candidates: readonly (string | undefined)[], wanted: string, ignoreCase: boolean) =>
    candidates.some(
      (candidate) =>
        candidate !== undefined &&
        (ignoreCase
          ? candidate.toLowerCase().startsWith(wanted.toLowerCase())
          : candidate.startsWith(wanted)),
    );
  switch (key) {
    case "name":
      return prefix([record.name], value, false);
    case "description":
      return prefix([record.description], value, true);
    case "tag-key":
      return prefix(
        record.tags.map((tag) => tag.Key),
        value,
        false,
      );
    case "tag-value":
      return prefix(
        record.tags.map((tag) => tag.Value),
        value,
        false,
      );
    case "all": {
      const words = [
        record.name,
        ...record.name.split(/[/_+=.@-]/),
        ...(record.description?.split(/\s+/) ?? []),
        ...record.tags.flatMap((tag) => [tag.Key, tag.Value]),
      ];
      return value
        .split(/\s+/)
        .filter((word) => word !== "")
        .every((word) => prefix(words, word, true));
    }
    default:
      // primary-region and owning-service: the fake has no replicated or managed secrets.
      return false;
  }
}

/** Filters AND together; a filter's values OR; a value starting with `!` excludes what it matches. */
function matchesFilters(record: SecretRecord, list: readonly Filter[] | undefined): boolean {
  return (list ?? []).every((filter) => {
    const positive = filter.values.filter((value) => !value.startsWith("!"));
    const negative = filter.values.filter((value) => value.startsWith("!")).map((value) => value.slice(1));
    if (negative.some((value) => attributeMatches(record, filter.key, value))) return false;
    return positive.length === 0 || positive.some((value) => attributeMatches(record, filter.key, value));
  });
}

/** NextToken: an opaque cursor naming the operation, a fingerprint of the query and the position. */
function encodeToken(operation: string, fingerprint: string, position: number): string {
  return Buffer.from(JSON.stringify({ op: operation, q: fingerprint, p: position })).toString("base64url");
}

function decodeToken(token: string | undefined, operation: string, fingerprint: string): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      op?: unknown;
      q?: unknown;
      p?: unknown;
    };
    if (
      parsed.op === operation &&
      parsed.q === fingerprint &&
      typeof parsed.p === "number" &&
      Number.isInteger(parsed.p) &&
      parsed.p >= 0
    ) {
      return parsed.p;
    }
  } catch {
    // fall through
  }
  throw new AwsSecretsError("InvalidNextTokenException", "The NextToken value is invalid.");
}

function page<T>(
  items: readonly T[],
  operation: string,
  fingerprint: string,
  input: Input,
  maxResults: number,
): { items: T[]; nextToken: string | undefined } {
  const start = decodeToken(optionalString(input, "NextToken", 4096), operation, fingerprint);
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? encodeToken(operation, fingerprint, end) : undefined,
  };
}

const SORT_KEYS: Record<string, (record: SecretRecord) => number | string> = {
  "created-date": (record) => record.createdDate,
  "last-accessed-date": (record) => record.lastAccessedDate ?? 0,
  "last-changed-date": (record) => record.lastChangedDate,
  name: (record) => record.name,
};

// ---- the operations ----------------------------------------------------------------------------------------

function getSecretValue(context: OperationContext, input: Input): Output {
  const secretId = requiredString(input, "SecretId");
  const versionId = optionalString(input, "VersionId", 64);
  const stage = optionalString(input, "VersionStage", 256);
  const record = secretFor(context, secretId);
  context.state.assertNotDeleted(record);
  const version = context.state.readVersion(record, { versionId, stage });
  decrypt(record);
  context.state.markAccessed(record, version);
  return valueEntry(record, version);
}

function batchGetSecretValue(context: OperationContext, input: Input): Output {
  const ids = optionalStringList(input, "SecretIdList", 20);
  const filterList = filters(input);
  const maxResults = optionalInteger(input, "MaxResults", 1, 20);
  if ((ids === undefined) === (filterList === undefined)) {
    throw invalidParameter("Either SecretIdList or Filters must be provided, but not both.");
  }
  if (ids !== undefined && (maxResults !== undefined || input.NextToken !== undefined)) {
    throw invalidParameter("MaxResults and NextToken can be used only with Filters.");
  }
  const values: Output[] = [];
  const errors: Output[] = [];
  const fetch = (secretId: string) => {
    try {
      // Each secret needs secretsmanager:GetSecretValue, as in the service.
      values.push(getSecretValue({ ...context, operation: "GetSecretValue" }, { SecretId: secretId }));
    } catch (error) {
      if (!(error instanceof AwsSecretsError)) throw error;
      errors.push({ SecretId: secretId, ErrorCode: error.type, Message: error.message });
    }
  };
  if (ids !== undefined) {
    for (const id of ids) fetch(id);
    return { SecretValues: values, Errors: errors };
  }
  const matching = context.state
    .secrets()
    .filter((record) => record.deletionDate === undefined && matchesFilters(record, filterList))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { items, nextToken } = page(
    matching,
    "BatchGetSecretValue",
    JSON.stringify(filterList),
    input,
    maxResults ?? 20,
  );
  for (const record of items) fetch(record.name);
  return { SecretValues: values, Errors: errors, ...(nextToken ? { NextToken: nextToken } : {}) };
}

function describeSecret(context: OperationContext, input: Input): Output {
  const record = secretFor(context, requiredString(input, "SecretId"));
  return {
    ...metadata(record),
    VersionIdsToStages: versionsToStages(record),
  };
}

function listSecrets(context: OperationContext, input: Input): Output {
  const includePlannedDeletion = optionalBoolean(input, "IncludePlannedDeletion") ?? false;
  const maxResults = optionalInteger(input, "MaxResults", 1, 100) ?? 100;
  const filterList = filters(input);
  const sortOrder = optionalString(input, "SortOrder", 4) ?? "asc";
  const sortBy = optionalString(input, "SortBy", 32) ?? "created-date";
  if (sortOrder !== "asc" && sortOrder !== "desc") throw invalidParameter("Invalid SortOrder: asc or desc.");
  const sortKey = SORT_KEYS[sortBy];
  if (!sortKey) throw invalidParameter(`Invalid SortBy: one of ${Object.keys(SORT_KEYS).join(", ")}.`);
  const direction = sortOrder === "asc" ? 1 : -1;
  const matching = context.state
    .secrets()
    .filter((record) => includePlannedDeletion || record.deletionDate === undefined)
    .filter((record) => matchesFilters(record, filterList))
    .sort((a, b) => {
      const [x, y] = [sortKey(a), sortKey(b)];
      const primary = x < y ? -1 : x > y ? 1 : 0;
      return (primary || a.name.localeCompare(b.name)) * direction;
    });
  const fingerprint = JSON.stringify([includePlannedDeletion, filterList, sortOrder, sortBy]);
  const { items, nextToken } = page(matching, "ListSecrets", fingerprint, input, maxResults);
  return {
    SecretList: items.map((record) => ({
      ...metadata(record),
      SecretVersionsToStages: versionsToStages(record),
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

function listSecretVersionIds(context: OperationContext, input: Input): Output {
  const record = secretFor(context, requiredString(input, "SecretId"));
  const includeDeprecated = optionalBoolean(input, "IncludeDeprecated") ?? false;
  const maxResults = optionalInteger(input, "MaxResults", 1, 100) ?? 100;
  const versions = [...record.versions.values()]
    .filter((version) => includeDeprecated || version.stages.size > 0)
    .reverse();
  const { items, nextToken } = page(versions, "ListSecretVersionIds", record.arn, input, maxResults);
  return {
    ARN: record.arn,
    Name: record.name,
    Versions: items.map((version) => ({
      VersionId: version.versionId,
      VersionStages: [...version.stages],
      ...(version.lastAccessedDate !== undefined
        ? { LastAccessedDate: epochSeconds(version.lastAccessedDate) }
        : {}),
      CreatedDate: epochSeconds(version.createdDate),
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

function createSecret(context: OperationContext, input: Input): Output {
  const name = requiredString(input, "Name", 512);
  const value = secretValue(input, true);
  const versionId = clientRequestToken(input);
  const description = optionalString(input, "Description", 2048);
  const kmsKeyId = optionalString(input, "KmsKeyId", 2048);
  const tagList = tags(input);
  const { record, version } = context.state.createSecret({
    name,
    ...(value !== undefined ? { value } : {}),
    ...(versionId !== undefined ? { versionId } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...(tagList !== undefined ? { tags: tagList } : {}),
  });
  return {
    ARN: record.arn,
    Name: record.name,
    ...(version ? { VersionId: version.versionId } : {}),
    ReplicationStatus: [],
  };
}

function putSecretValue(context: OperationContext, input: Input): Output {
  const secretId = requiredString(input, "SecretId");
  const value = secretValue(input, false) as SecretValueInput;
  const versionId = clientRequestToken(input);
  const stages = optionalStringList(input, "VersionStages", 20);
  secretFor(context, secretId);
  const { record, version } = context.state.putSecretValue(secretId, value, { versionId, stages });
  return {
    ARN: record.arn,
    Name: record.name,
    VersionId: version.versionId,
    VersionStages: [...version.stages],
  };
}

function updateSecretVersionStage(context: OperationContext, input: Input): Output {
  const secretId = requiredString(input, "SecretId");
  const stage = requiredString(input, "VersionStage", 256);
  const moveToVersionId = optionalString(input, "MoveToVersionId", 64);
  const removeFromVersionId = optionalString(input, "RemoveFromVersionId", 64);
  secretFor(context, secretId);
  const record = context.state.updateVersionStage(secretId, stage, { moveToVersionId, removeFromVersionId });
  return { ARN: record.arn, Name: record.name };
}

function deleteSecret(context: OperationContext, input: Input): Output {
  const secretId = requiredString(input, "SecretId");
  const recoveryWindowInDays = optionalInteger(input, "RecoveryWindowInDays", -1_000, 1_000);
  const force = optionalBoolean(input, "ForceDeleteWithoutRecovery");
  if (force && recoveryWindowInDays !== undefined) {
    throw invalidParameter(
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  }
  secretFor(context, secretId);
  const { record, deletionDate } = context.state.deleteSecret(secretId, { recoveryWindowInDays, force });
  return { ARN: record.arn, Name: record.name, DeletionDate: epochSeconds(deletionDate) };
}

function restoreSecret(context: OperationContext, input: Input): Output {
  const secretId = requiredString(input, "SecretId");
  secretFor(context, secretId);
  const record = context.state.restoreSecret(secretId);
  return { ARN: record.arn, Name: record.name };
}

export const AWS_SECRETS_OPERATION_HANDLERS: Record<
  AwsSecretsOperation,
  (context: OperationContext, input: Input) => Output
> = {
  GetSecretValue: getSecretValue,
  BatchGetSecretValue: batchGetSecretValue,
  DescribeSecret: describeSecret,
  ListSecrets: listSecrets,
  ListSecretVersionIds: listSecretVersionIds,
  CreateSecret: createSecret,
  PutSecretValue: putSecretValue,
  UpdateSecretVersionStage: updateSecretVersionStage,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
};
