import { describe, expect, it } from "vitest";
import { forgetSecret, redactStrings, redactText, redactValue, registerSecret } from "../src/index.js";

describe("redaction", () => {
  it("removes registered secrets, also base64- and URL-encoded", () => {
    registerSecret("s3cr3t-value-42");
    expect(redactText("token=s3cr3t-value-42 end")).toBe("token=[REDACTED] end");
    expect(redactText(Buffer.from("s3cr3t-value-42").toString("base64"))).toBe("[REDACTED]");
    forgetSecret("s3cr3t-value-42");
    expect(redactText("s3cr3t-value-42")).toBe("s3cr3t-value-42");
  });

  it("ignores values too short to redact safely", () => {
    registerSecret("abc");
    expect(redactText("abcdef")).toBe("abcdef");
  });

  it.each([
    ["ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_[REDACTED]"],
    ["gho_0123456789abcdefghijABCD", "gho_[REDACTED]"],
    ["github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_[REDACTED]"],
    ["xoxb-123456789012-123456789012-abcdefghijklmnop", "xoxb-[REDACTED]"],
    ["xoxp-1-2-3-abcdef0123", "xoxp-[REDACTED]"],
    ["Authorization: Bearer abc.def-ghi_jkl", "Authorization: Bearer [REDACTED]"],
    ["Authorization: token abcdefgh12345", "Authorization: token [REDACTED]"],
    ["Basic dXNlcjpwYXNzd29yZA==", "Basic [REDACTED]"],
    ["postgres://user:hunter22@db:5432/app", "postgres://user:[REDACTED]@db:5432/app"],
    [
      "https://x.test/cb?code=1&access_token=abc123&x=1",
      "https://x.test/cb?code=1&access_token=[REDACTED]&x=1",
    ],
    ["AKIAABCDEFGHIJKLMNOP", "AKIA[REDACTED]"],
    ["Basic dXNlcjpwYXNz", "Basic [REDACTED]"],
    ["BEARER abcdefghijklmnopqrstuvwxyz", "BEARER [REDACTED]"],
  ])("removes the token shape in %s", (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    "Clock drift on billing-api breaks token validation",
    "Token expiration is handled by the gateway.",
    "Use Bearer authentication for the admin endpoints",
    "basic connectivity checks passed",
  ])("leaves prose that merely follows an auth scheme word intact: %s", (prose) => {
    expect(redactText(prose)).toBe(prose);
  });

  it("replaces values under secret-looking keys and bounds cycles", () => {
    const cyclic: Record<string, unknown> = {
      password: "pw",
      headers: { Authorization: "anything" },
      note: "ok",
    };
    cyclic.self = cyclic;
    expect(redactValue(cyclic)).toEqual({
      password: "[REDACTED]",
      headers: { Authorization: "[REDACTED]" },
      note: "ok",
      self: "[…]",
    });
  });

  it("redacts tool results without changing their shape", () => {
    expect(redactStrings({ token: 5, text: "ghp_0123456789abcdefghijABCDEFGHIJ012345" })).toEqual({
      token: 5,
      text: "ghp_[REDACTED]",
    });
  });
});

describe("mayContainSecret", () => {
  it("spots registered secrets and token shapes anywhere in a serialized result", async () => {
    const { mayContainSecret } = await import("../src/index.js");
    registerSecret("quick-check-secret-1");
    expect(mayContainSecret(JSON.stringify({ a: [{ b: "x quick-check-secret-1 y" }] }))).toBe(true);
    expect(mayContainSecret(JSON.stringify({ a: "ghp_0123456789abcdefghijABCDEFGHIJ012345" }))).toBe(true);
    expect(mayContainSecret(JSON.stringify({ a: "nothing to see", n: 3 }))).toBe(false);
    // Global regexes keep state between calls: the check must not.
    expect(mayContainSecret("ghp_0123456789abcdefghijABCDEFGHIJ012345")).toBe(true);
    expect(mayContainSecret("ghp_0123456789abcdefghijABCDEFGHIJ012345")).toBe(true);
  });
});
