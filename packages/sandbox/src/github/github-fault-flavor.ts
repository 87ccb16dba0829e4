import { type FaultFlavor, jsonFault, retryAfterHeader } from "../faults/fault-flavor.js";
import { DOCS } from "./github-http.js";

const RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

/** GitHub's wording of failures: the bodies and headers @switchyard/github and octokit's plugins look for. */
export function githubFaultFlavor(nextRequestId: () => string): FaultFlavor {
  return {
    tooManyRequests: (retryAfter) =>
      jsonFault(
        429,
        { message: "Too Many Requests", documentation_url: RATE_LIMIT_DOCS, status: "429" },
        retryAfterHeader(retryAfter),
      ),
    secondaryRateLimit: (status, retryAfter) =>
      jsonFault(
        status,
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
          documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
          status: String(status),
        },
        retryAfterHeader(retryAfter),
      ),
    primaryRateLimit: (status, resetAt) =>
      jsonFault(
        status,
        {
          message:
            "API rate limit exceeded for user ID 1003. If you reach out to GitHub Support for help, please include the request ID.",
          documentation_url: `${RATE_LIMIT_DOCS}#about-the-primary-rate-limit`,
          status: String(status),
        },
        {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": "5000",
          "x-ratelimit-reset": String(resetAt),
          "x-ratelimit-resource": "core",
        },
      ),
    serverError: (status, retryAfter) =>
      jsonFault(
        status,
        {
          message: status === 503 ? "Service Unavailable" : "Server Error",
          documentation_url: DOCS,
          status: String(status),
        },
        retryAfterHeader(retryAfter),
      ),
    expiredCredential: () =>
      jsonFault(401, { message: "Bad credentials", documentation_url: DOCS, status: "401" }),
    commonHeaders: () => ({ "x-github-request-id": nextRequestId() }),
  };
}
