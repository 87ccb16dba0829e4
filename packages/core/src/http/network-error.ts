import { ConnectorError } from "../errors/connector-error.js";

/** Connection errors raised before any byte was sent: the request cannot have been applied. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const NETWORK_CODES = new Set([
  ...NOT_SENT_CODES,
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

function findCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 6) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  return findCode((error as { cause?: unknown }).cause, depth + 1);
}

/** fetch reports transport failures as a TypeError; clients such as Octokit wrap it as the cause. */
function findFetchFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  if (error instanceof TypeError && /fetch failed|failed to fetch|terminated|network/i.test(error.message))
    return true;
  return findFetchFailure((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Recognises a transport failure (fetch's `TypeError: fetch failed`, Node socket errors, their causes) and
 * turns it into a `network` error. Returns undefined for anything else.
 */
export function networkError(error: unknown): ConnectorError | undefined {
  const code = findCode(error);
  const isFetchFailure = findFetchFailure(error);
  if (!code && !isFetchFailure) return undefined;
  return new ConnectorError({
    code: "network",
    message: `Network failure talking to the upstream${code ? ` (${code})` : ""}.`,
    notApplied: code !== undefined && NOT_SENT_CODES.has(code),
    cause: error,
  });
}
