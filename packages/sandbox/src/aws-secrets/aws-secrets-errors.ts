/**
 * Secrets Manager's errors as awsJson1.1 puts them on the wire: HTTP 400 for client faults, 500 for server
 * faults, and a body `{"__type": "<Name>", "message": "..."}` that the SDK turns into a typed exception
 * (`ResourceNotFoundException`, ...) or, for names outside the model (`AccessDeniedException`,
 * `ThrottlingException`, ...), a `SecretsManagerServiceException` whose `name` is the `__type`.
 */

/** Errors the Smithy model declares for Secrets Manager operations (the SDK exports a class for each). */
export const MODELED_ERRORS = [
  "DecryptionFailure",
  "EncryptionFailure",
  "InternalServiceError",
  "InvalidNextTokenException",
  "InvalidParameterException",
  "InvalidRequestException",
  "LimitExceededException",
  "MalformedPolicyDocumentException",
  "PreconditionNotMetException",
  "PublicPolicyException",
  "ResourceExistsException",
  "ResourceNotFoundException",
] as const;

/** Common AWS errors every operation can return, outside the service model. */
export const COMMON_ERRORS = [
  "AccessDeniedException",
  "ThrottlingException",
  "UnrecognizedClientException",
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "UnknownOperationException",
  "SerializationException",
  "ServiceUnavailableException",
] as const;

export type AwsSecretsErrorName = (typeof MODELED_ERRORS)[number] | (typeof COMMON_ERRORS)[number];

export const AWS_SECRETS_ERROR_NAMES: readonly AwsSecretsErrorName[] = [...MODELED_ERRORS, ...COMMON_ERRORS];

const SERVER_ERRORS: Partial<Record<AwsSecretsErrorName, number>> = {
  InternalServiceError: 500,
  ServiceUnavailableException: 503,
};

/** Default wording, close to what the service says. */
export const DEFAULT_ERROR_MESSAGES: Record<AwsSecretsErrorName, string> = {
  DecryptionFailure: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
  EncryptionFailure: "Secrets Manager can't encrypt the protected secret text using the provided KMS key.",
  InternalServiceError: "An error occurred on the server side.",
  InvalidNextTokenException: "The NextToken value is invalid.",
  InvalidParameterException: "The parameter value is invalid.",
  InvalidRequestException: "The request is not valid for the current state of the resource.",
  LimitExceededException: "The request failed because it would exceed one of the Secrets Manager quotas.",
  MalformedPolicyDocumentException: "The resource policy has syntax errors.",
  PreconditionNotMetException: "The request failed because you did not complete all the prerequisite steps.",
  PublicPolicyException: "The BlockPublicPolicy parameter is set to true.",
  ResourceExistsException: "A resource with the ID you requested already exists.",
  ResourceNotFoundException: "Secrets Manager can't find the specified secret.",
  AccessDeniedException: "Access denied.",
  ThrottlingException: "Rate exceeded",
  UnrecognizedClientException: "The security token included in the request is invalid.",
  MissingAuthenticationTokenException: "Missing Authentication Token",
  IncompleteSignatureException:
    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.",
  InvalidSignatureException: "The request signature we calculated does not match the signature you provided.",
  ExpiredTokenException: "The security token included in the request is expired",
  UnknownOperationException: "The requested operation is not supported.",
  SerializationException: "The request body could not be parsed as JSON.",
  ServiceUnavailableException: "Service Unavailable",
};

export const AMZ_JSON = "application/x-amz-json-1.1";

/** An error an operation answers with. `status` defaults to 400, or 500/503 for server faults. */
export class AwsSecretsError extends Error {
  readonly type: AwsSecretsErrorName;
  readonly status: number;

  constructor(type: AwsSecretsErrorName, message: string = DEFAULT_ERROR_MESSAGES[type], status?: number) {
    super(message);
    this.type = type;
    this.status = status ?? SERVER_ERRORS[type] ?? 400;
  }
}

export function isAwsSecretsErrorName(name: unknown): name is AwsSecretsErrorName {
  return typeof name === "string" && (AWS_SECRETS_ERROR_NAMES as readonly string[]).includes(name);
}

/** The awsJson1.1 error answer. */
export function awsErrorResponse(
  type: string,
  message: string,
  status: number,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(JSON.stringify({ __type: type, message }), {
    status,
    headers: { "content-type": AMZ_JSON, ...headers },
  });
}

export const invalidParameter = (message: string) =>
  new AwsSecretsError("InvalidParameterException", message);
export const invalidRequest = (message: string) => new AwsSecretsError("InvalidRequestException", message);
export const notFound = (message = DEFAULT_ERROR_MESSAGES.ResourceNotFoundException) =>
  new AwsSecretsError("ResourceNotFoundException", message);
