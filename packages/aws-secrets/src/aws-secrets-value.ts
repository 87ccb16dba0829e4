import { ConnectorError, registerSecret } from "@switchyard/core";
import type { SecretReadTarget } from "./aws-secrets-error.js";

/** The parts of a GetSecretValue answer this package uses. */
export interface SecretVersion {
  readonly secretString?: string | undefined;
  readonly secretBinary?: Uint8Array | undefined;
}

function describe(target: SecretReadTarget): string {
  const stage = target.stage === "AWSCURRENT" ? "" : ` (version stage ${target.stage})`;
  return `secret "${target.secretId}"${stage}`;
}

/**
 * The credential value in a secret version: the SecretString (or SecretBinary as UTF-8) itself, or the `key`
 * field of it when it is a JSON object. Every string read is registered for redaction before anything else
 * happens, and no error built here quotes the secret: JSON parse errors (which echo the input) are dropped,
 * not attached as causes.
 */
export function selectSecretValue(version: SecretVersion, target: SecretReadTarget): string {
  const raw = rawSecret(version, target);
  registerSecret(raw);
  if (target.key === undefined) {
    if (raw.length === 0) throw emptySecret(target);
    return raw;
  }
  const key = target.key;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConnectorError({
      code: "invalid_response",
      fault: "caller",
      message: `AWS Secrets Manager ${describe(target)} is not a JSON object, so its key "${key}" cannot be read.`,
      hint: `The credential reference asks for the key "${key}" of ${describe(target)}, but the secret holds plain text. Ask the operator to store it as JSON ({"${key}": "..."}) or to drop "#${key}" from the reference. Retrying will not help.`,
      details: { secretId: target.secretId, key, stage: target.stage },
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConnectorError({
      code: "invalid_response",
      fault: "caller",
      message: `AWS Secrets Manager ${describe(target)} holds JSON that is not an object, so its key "${key}" cannot be read.`,
      hint: `Ask the operator to store ${describe(target)} as a JSON object with a "${key}" field, or to drop "#${key}" from the reference. Retrying will not help.`,
      details: { secretId: target.secretId, key, stage: target.stage },
    });
  }
  const fields = parsed as Record<string, unknown>;
  const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
  if (field === undefined || field === null || field === "") {
    throw new ConnectorError({
      code: "credentials_missing",
      message: `AWS Secrets Manager ${describe(target)} has no value under the key "${key}".`,
      hint: `The credential reference asks for the key "${key}" of ${describe(target)}, which is missing or empty. Ask the operator to add it to the secret or fix the key after "#" in the reference. Retrying will not help.`,
      details: {
        secretId: target.secretId,
        key,
        stage: target.stage,
        keys: Object.keys(fields).slice(0, 20),
      },
    });
  }
  if (typeof field === "number" || typeof field === "boolean") return registered(String(field));
  if (typeof field !== "string") {
    throw new ConnectorError({
      code: "invalid_response",
      fault: "caller",
      message: `The key "${key}" of AWS Secrets Manager ${describe(target)} holds a ${Array.isArray(field) ? "list" : "JSON object"}, not a string.`,
      hint: `Ask the operator to store the credential under "${key}" as a string, or point the reference at the right key. Retrying will not help.`,
      details: { secretId: target.secretId, key, stage: target.stage },
    });
  }
  return registered(field);
}

function registered(value: string): string {
  registerSecret(value);
  return value;
}

function rawSecret(version: SecretVersion, target: SecretReadTarget): string {
  if (typeof version.secretString === "string") return version.secretString;
  if (version.secretBinary !== undefined) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(version.secretBinary);
    } catch {
      throw new ConnectorError({
        code: "invalid_response",
        fault: "caller",
        message: `AWS Secrets Manager ${describe(target)} holds binary data that is not UTF-8 text.`,
        hint: "Only text credentials (SecretString, or a UTF-8 SecretBinary) can be used. Ask the operator to store the credential as text. Retrying will not help.",
        details: { secretId: target.secretId, stage: target.stage },
      });
    }
  }
  throw emptySecret(target);
}

function emptySecret(target: SecretReadTarget): ConnectorError {
  return new ConnectorError({
    code: "credentials_missing",
    message: `AWS Secrets Manager ${describe(target)} has no value (neither SecretString nor SecretBinary).`,
    hint: `Ask the operator to put the credential into ${describe(target)}. Retrying will not help.`,
    details: { secretId: target.secretId, stage: target.stage },
  });
}
