import { createHash } from "node:crypto";

/** A secret a connector authenticates with. */
export interface Credential {
  /** The secret itself (token, password). Registered for redaction whenever it is handed out. */
  readonly value: string;
  /** Non-secret companions: an account email, a cloud id, a token type. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Epoch ms after which the upstream will refuse it. */
  readonly expiresAt?: number;
  /** A stable non-secret identity (an installation id) for keying rate limits; defaults to a hash of the value. */
  readonly id?: string;
}

export interface GetCredentialOptions {
  /** Skip every cache: the caller just saw the current value rejected. */
  readonly forceRefresh?: boolean;
  readonly signal?: AbortSignal;
}

/** Where a connector's credential comes from. Every connector reads credentials only through one of these. */
export interface CredentialProvider {
  /** Human text naming the setting and environment variable, for error messages. */
  readonly description: string;
  get(options?: GetCredentialOptions): Promise<Credential>;
  /** The upstream rejected this credential: drop it so the next `get` fetches a new one. */
  invalidate(credential: Credential): void;
}

/** The key a credential's rate-limit budget is stored under: never the secret itself. */
export function credentialKey(credential: Credential | undefined): string {
  if (!credential) return "anonymous";
  if (credential.id) return credential.id;
  return createHash("sha256").update(credential.value).digest("base64url").slice(0, 16);
}
