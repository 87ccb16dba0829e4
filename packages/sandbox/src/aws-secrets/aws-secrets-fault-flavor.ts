import { type FaultFlavor, retryAfterHeader } from "../faults/fault-flavor.js";
import { awsErrorResponse, DEFAULT_ERROR_MESSAGES } from "./aws-secrets-errors.js";

/**
 * How Secrets Manager words the sandbox's switchable faults: throttling is `ThrottlingException` on HTTP 400
 * (AWS never answers 429), server errors are `InternalServiceError` (500) or `ServiceUnavailableException`
 * (503), an expired credential is `ExpiredTokenException`. The SDK reads them as typed errors and retries
 * throttling and 5xx as it would against AWS.
 */
export function awsSecretsFaultFlavor(nextRequestId: () => string): FaultFlavor {
  const throttled = (retryAfter: number | undefined) =>
    awsErrorResponse(
      "ThrottlingException",
      DEFAULT_ERROR_MESSAGES.ThrottlingException,
      400,
      retryAfterHeader(retryAfter),
    );
  return {
    tooManyRequests: throttled,
    secondaryRateLimit: (_status, retryAfter) => throttled(retryAfter),
    primaryRateLimit: () => throttled(undefined),
    serverError: (status, retryAfter) =>
      status === 503
        ? awsErrorResponse(
            "ServiceUnavailableException",
            DEFAULT_ERROR_MESSAGES.ServiceUnavailableException,
            503,
            retryAfterHeader(retryAfter),
          )
        : awsErrorResponse(
            "InternalServiceError",
            DEFAULT_ERROR_MESSAGES.InternalServiceError,
            status,
            retryAfterHeader(retryAfter),
          ),
    expiredCredential: () =>
      awsErrorResponse("ExpiredTokenException", DEFAULT_ERROR_MESSAGES.ExpiredTokenException, 400),
    commonHeaders: () => ({ "x-amzn-requestid": nextRequestId() }),
  };
}
