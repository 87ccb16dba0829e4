/**
 * Shapes of secrets that must never leave the process, even when nobody registered the value (a token pasted
 * into an issue body, an upstream echoing an Authorization header into an error message).
 * Each pattern keeps a recognisable prefix so a reader can still tell what kind of secret was there.
 */
export interface TokenPattern {
  readonly name: string;
  readonly pattern: RegExp;
  /** Replacement text; `$1` keeps the captured prefix. */
  readonly replacement: string;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  { name: "github-token", pattern: /\b(gh[pousr]_)[A-Za-z0-9]{16,}\b/g, replacement: "$1[REDACTED]" },
  {
    name: "github-fine-grained-pat",
    pattern: /\b(github_pat_)[A-Za-z0-9_]{16,}/g,
    replacement: "$1[REDACTED]",
  },
  { name: "slack-token", pattern: /\b(xox[abposre]-)[A-Za-z0-9-]{8,}/g, replacement: "$1[REDACTED]" },
  { name: "slack-app-token", pattern: /\b(xapp-)[A-Za-z0-9-]{8,}/g, replacement: "$1[REDACTED]" },
  { name: "atlassian-api-token", pattern: /\b(ATATT)[A-Za-z0-9_=-]{16,}/g, replacement: "$1[REDACTED]" },
  { name: "aws-access-key-id", pattern: /\b((?:AKIA|ASIA))[A-Z0-9]{16}\b/g, replacement: "$1[REDACTED]" },
  {
    name: "jwt",
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g,
    replacement: "[REDACTED-JWT]",
  },
  {
    name: "private-key",
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    replacement: "[REDACTED-PRIVATE-KEY]",
  },
  {
    // A credential after an auth scheme has a digit, a case change inside it, an inner symbol or 24+ characters;
    // a word does not, so prose such as "breaks token validation" stays intact. Case-sensitive on purpose: with the `i`
    // flag [a-z][A-Z] would match any two letters.
    name: "authorization-scheme",
    pattern:
      /\b(Bearer|BEARER|bearer|Basic|BASIC|basic|Token|TOKEN|token)(\s+)(?=[A-Za-z0-9._~+/=-]{24}|[A-Za-z0-9._~+/=-]*?(?:[0-9]|[a-z][A-Z]|[._~+/=-][A-Za-z0-9]))[A-Za-z0-9._~+/=-]{8,}/g,
    replacement: "$1$2[REDACTED]",
  },
  {
    name: "url-password",
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@/\s]+@/gi,
    replacement: "$1[REDACTED]@",
  },
  {
    name: "secret-query-parameter",
    pattern:
      /([?&](?:access_token|refresh_token|client_secret|token|password|api_key|apikey|sig)=)[^&#\s"']+/gi,
    replacement: "$1[REDACTED]",
  },
];
