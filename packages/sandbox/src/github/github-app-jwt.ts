import { type KeyObject, verify } from "node:crypto";
import { SANDBOX_APP_ID } from "./github-seed.js";

/** The App's client id, which GitHub also accepts as the JWT issuer. */
export const SANDBOX_APP_CLIENT_ID = "Iv23liSandboxApp1001";

/** GitHub refuses App JWTs whose `exp` is more than 10 minutes ahead; a little clock drift is tolerated. */
const MAX_LIFETIME_SECONDS = 600;
const DRIFT_SECONDS = 60;

export type JwtCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

const UNDECODABLE = "A JSON web token could not be decoded";

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks an App JWT the way GitHub does for `/app/...` endpoints: three base64url parts, `alg: RS256`, an
 * issuer that is the App's id (number or string) or client id, `iat` not in the future, `exp` in the future
 * and at most 10 minutes ahead, and (when a public key is known) the RS256 signature.
 */
export function verifyAppJwt(token: string, nowMs: number, publicKey: KeyObject | undefined): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    return { ok: false, message: UNDECODABLE };
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (!header || !payload) return { ok: false, message: UNDECODABLE };
  if (header.alg !== "RS256") return { ok: false, message: `${UNDECODABLE} ('alg' must be RS256)` };
  const now = Math.floor(nowMs / 1000);
  const { iat, exp, iss } = payload;
  if (typeof iat !== "number" || !Number.isFinite(iat) || iat > now + DRIFT_SECONDS) {
    return {
      ok: false,
      message:
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    };
  }
  if (typeof exp !== "number" || !Number.isFinite(exp) || exp <= now) {
    return {
      ok: false,
      message:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  }
  if (exp > now + MAX_LIFETIME_SECONDS + DRIFT_SECONDS) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future." };
  }
  if (String(iss) !== String(SANDBOX_APP_ID) && iss !== SANDBOX_APP_CLIENT_ID) {
    return { ok: false, message: "Integration not found" };
  }
  if (publicKey) {
    const valid = verify(
      "sha256",
      Buffer.from(`${headerPart}.${payloadPart}`),
      publicKey,
      Buffer.from(signaturePart, "base64url"),
    );
    if (!valid) return { ok: false, message: UNDECODABLE };
  }
  return { ok: true };
}
