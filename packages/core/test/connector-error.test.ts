import { describe, expect, it } from "vitest";
import {
  ConnectorError,
  codeForHttpStatus,
  ERROR_CODE_INFO,
  ERROR_CODES,
  httpStatusError,
  networkError,
  parseEpochSecondsReset,
  parseIsoReset,
  parseRetryAfter,
  toConnectorError,
} from "../src/index.js";

describe("ConnectorError", () => {
  it("takes fault, retryable and hint from its code unless told otherwise", () => {
    for (const code of ERROR_CODES) {
      const error = new ConnectorError({ code, message: "m" });
      expect(error.fault).toBe(ERROR_CODE_INFO[code].fault);
      expect(error.retryable).toBe(ERROR_CODE_INFO[code].retryable);
      expect(error.hint.length).toBeGreaterThan(10);
    }
    expect(new ConnectorError({ code: "conflict", message: "m", retryable: true }).retryable).toBe(true);
  });

  it("is recognised across copies of the package through its brand", () => {
    const error = new ConnectorError({ code: "not_found", message: "gone" });
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect(ConnectorError.isInstance(new Error("plain"))).toBe(false);
    expect(ConnectorError.isInstance({ code: "not_found" })).toBe(false);
    // What a second copy of the package would create: same global symbol, different class.
    const foreign = Object.defineProperty(new Error("x"), Symbol.for("switchyard.error.ConnectorError"), {
      value: true,
    });
    expect(ConnectorError.isInstance(foreign)).toBe(true);
  });

  it("keeps a redacted cause chain and serialises to stable JSON", () => {
    const error = new ConnectorError({
      code: "upstream_unavailable",
      message: "upstream failed",
      retryAfterMs: 1500.2,
      upstream: { status: 503, requestId: "req-1" },
      cause: new Error("outer", { cause: Object.assign(new Error("inner"), { code: "ECONNRESET" }) }),
      connector: "github",
      tool: "github_get_issue",
    });
    expect(error.causes()).toEqual([
      { name: "Error", message: "outer" },
      { name: "Error", message: "inner", code: "ECONNRESET" },
    ]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "ConnectorError",
      code: "upstream_unavailable",
      message: "upstream failed",
      fault: "upstream",
      retryable: true,
      retryAfterMs: 1501,
      hint: ERROR_CODE_INFO.upstream_unavailable.hint,
      connector: "github",
      tool: "github_get_issue",
      upstream: { status: 503, requestId: "req-1" },
      causes: [
        { name: "Error", message: "outer" },
        { name: "Error", message: "inner", code: "ECONNRESET" },
      ],
    });
  });

  it("adds connector and tool context without losing fields", () => {
    const error = new ConnectorError({
      code: "rate_limited",
      message: "slow",
      retryAfterMs: 10,
      notApplied: true,
    });
    const withContext = error.withContext({ connector: "slack", tool: "slack_post_message" });
    expect(withContext).toMatchObject({
      connector: "slack",
      tool: "slack_post_message",
      retryAfterMs: 10,
      notApplied: true,
    });
  });
});

describe("HTTP helpers", () => {
  it("maps statuses to codes", () => {
    expect(
      [400, 401, 403, 404, 409, 410, 408, 422, 429, 500, 502, 503, 418].map((status) =>
        codeForHttpStatus(status),
      ),
    ).toEqual([
      "invalid_input",
      "unauthenticated",
      "permission_denied",
      "not_found",
      "conflict",
      "not_found",
      "timeout",
      "invalid_input",
      "rate_limited",
      "upstream_unavailable",
      "upstream_unavailable",
      "upstream_unavailable",
      "invalid_input",
    ]);
  });

  it("marks 401 and 429 as not applied, so even writes may be repeated", () => {
    expect(httpStatusError({ status: 429, retryAfterMs: 1000 })).toMatchObject({
      notApplied: true,
      retryAfterMs: 1000,
    });
    expect(httpStatusError({ status: 401 }).notApplied).toBe(true);
    expect(httpStatusError({ status: 500 }).notApplied).toBe(false);
    expect(httpStatusError({ status: 404, requestId: "abc" }).upstream).toMatchObject({
      status: 404,
      requestId: "abc",
    });
  });

  it("describes an HTML error page instead of quoting it, and caps long messages", () => {
    const page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    expect(httpStatusError({ status: 502, message: page }).message).toBe(
      "Upstream answered HTTP 502: the upstream (or a proxy in front of it) answered with an HTML error page",
    );
    expect(httpStatusError({ status: 400, message: "x".repeat(2000) }).message.length).toBeLessThan(600);
  });

  it("reads Retry-After and reset headers", () => {
    expect(parseRetryAfter("7")).toBe(7000);
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", Date.parse("2026-10-21T07:27:30Z"))).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseEpochSecondsReset("1700000000")).toBe(1_700_000_000_000);
    expect(parseIsoReset("2026-11-21T10:00:00Z")).toBe(Date.parse("2026-11-21T10:00:00Z"));
  });

  it("recognises transport failures", () => {
    const refused = networkError(
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    );
    expect(refused).toMatchObject({ code: "network", notApplied: true, retryable: true });
    const reset = networkError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(reset).toMatchObject({ code: "network", notApplied: false });
    expect(networkError(new Error("something else"))).toBeUndefined();
    // Octokit wraps fetch's TypeError in its own HttpError.
    const wrapped = Object.assign(new Error("request failed"), {
      status: 500,
      cause: new TypeError("Failed to fetch"),
    });
    expect(networkError(wrapped)?.code).toBe("network");
  });

  it("classifies unknown throws as internal and JSON failures as invalid_response", () => {
    expect(toConnectorError(new Error("boom")).code).toBe("internal");
    expect(toConnectorError(new SyntaxError("Unexpected token <")).code).toBe("invalid_response");
    expect(toConnectorError("a string").code).toBe("internal");
    const mapped = toConnectorError(
      new Error("x"),
      () => new ConnectorError({ code: "conflict", message: "mapped" }),
    );
    expect(mapped.code).toBe("conflict");
  });
});
