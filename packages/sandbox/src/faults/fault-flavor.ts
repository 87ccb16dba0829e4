/**
 * How an upstream words its failures. The fault machinery decides *that* a request fails; the flavor decides
 * what the failure looks like (GitHub's secondary-limit message, its `x-ratelimit-*` headers, ...). An upstream
 * without one gets the generic JSON bodies below.
 */
export interface FaultFlavor {
  /** 429 Too Many Requests (rate_limit_429 and rate_profile). */
  tooManyRequests(retryAfterSeconds: number | undefined): Response;
  secondaryRateLimit(status: 403 | 429, retryAfterSeconds: number | undefined): Response;
  /** `resetAt` is epoch seconds. */
  primaryRateLimit(status: 403 | 429, resetAt: number): Response;
  serverError(status: 500 | 502 | 503, retryAfterSeconds: number | undefined): Response;
  expiredCredential(): Response;
  /** Headers every fault response carries (a request id, say). */
  commonHeaders(): Record<string, string>;
}

const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

export function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { "retry-after": String(Math.ceil(seconds)) };
}

export function jsonFault(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_TYPE, ...headers } });
}

const SERVER_ERROR_TEXT = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
} as const;

export const genericFaultFlavor: FaultFlavor = {
  tooManyRequests: (retryAfter) =>
    jsonFault(429, { message: "Too Many Requests" }, retryAfterHeader(retryAfter)),
  secondaryRateLimit: (status, retryAfter) =>
    jsonFault(status, { message: "You have exceeded a secondary rate limit." }, retryAfterHeader(retryAfter)),
  primaryRateLimit: (status, resetAt) =>
    jsonFault(
      status,
      { message: "Rate limit exceeded" },
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(resetAt) },
    ),
  serverError: (status, retryAfter) =>
    jsonFault(status, { message: SERVER_ERROR_TEXT[status] }, retryAfterHeader(retryAfter)),
  expiredCredential: () =>
    jsonFault(
      401,
      { message: "The access token expired" },
      { "www-authenticate": 'Bearer error="invalid_token", error_description="The access token expired"' },
    ),
  commonHeaders: () => ({}),
};

export function htmlErrorPage(status: number): Response {
  const reason =
    status in SERVER_ERROR_TEXT ? SERVER_ERROR_TEXT[status as keyof typeof SERVER_ERROR_TEXT] : "Error";
  return new Response(
    `<!DOCTYPE html>\n<html>\n<head><title>${status} ${reason}</title></head>\n<body>\n<center><h1>${status} ${reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`,
    { status, headers: { "content-type": "text/html; charset=utf-8" } },
  );
}

export function malformedJson(): Response {
  return new Response('{"message": "ok", "items": [{"id": 1, "title": "unterminated', {
    status: 200,
    headers: JSON_TYPE,
  });
}
