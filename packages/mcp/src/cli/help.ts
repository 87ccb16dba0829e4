// Help texts for every command, kept apart from the commands themselves: the CLI entry imports this module
// only, and each command (with its dependencies) is loaded when it runs. Keep this file free of imports.

/** The tokenizer `switchyard list` counts with (token-count.ts). */
export const TOKENIZER_NAME = "o200k_base via gpt-tokenizer";

export const MAIN_HELP = `switchyard: maintained connectors for AI agents

Usage: switchyard <command> [options]

Commands:
  list      connectors and tools, with each tool's schema size in tokens
  call      run one tool call and print the result
  serve     serve connectors as an MCP server (stdio or Streamable HTTP)
  doctor    check credentials, identity, scopes, rate limits, circuits and reachability
  audit     read the audit trail back (tail, query)
  sandbox   start the loopback fake upstreams and print the variables pointing at them
  demo      the quick start: sandbox + MCP server + client, with a transcript

Options for every command:
  --config <file>   read settings from this JSON file (default ./switchyard.config.json if present)
  --help            help for the command

Configuration comes from environment variables (GITHUB_TOKEN, GITHUB_API_URL, DATABASE_URL, ...),
overridden by the config file's "connectors" section.`;

export const LIST_HELP = `switchyard list [connector...] [--json]

Lists connectors and their tools (write tools included, marked), with the size of each tool's
tools/list entry in tokens (${TOKENIZER_NAME}).`;

export const CALL_HELP = `switchyard call <tool> ['<json arguments>'] [--allow-writes] [--deadline-ms N] [--tenant NAME]

Runs one tool call and prints its output and metadata as JSON. On failure prints the error
(code, message, hint) to stderr and exits with status 1.

Example:
  switchyard call github_list_issues '{"owner":"octo","repo":"hello","limit":5}'`;

export const SERVE_HELP = `switchyard serve <connector...> [--http <host:port>] [--allow-writes] [--tools <globs>]

Serves the connectors as one MCP server: over stdio by default (for desktop clients), or over
Streamable HTTP (stateless; fine behind a load balancer) with --http.

  --http 127.0.0.1:8808   listen for HTTP on this address (the MCP endpoint is /mcp, health is /healthz)
  --allow-writes          serve write tools too (still limited by each connector's allowlists)
  --tools 'github_*'      only these tools (names or globs, comma separated); a pattern that
                          matches nothing is an error

HTTP binds 127.0.0.1 unless told otherwise; binding anywhere else requires SWITCHYARD_HTTP_TOKEN,
which clients then send as a bearer token. SIGTERM drains calls in flight before exiting.`;

export const DOCTOR_HELP = `switchyard doctor [connector...] [--json]

For each connector: whether credentials are found, who they act as, their scopes, the
remaining rate limit, and whether the upstream is reachable, with a fix for each problem.
Connectors with no configuration are skipped unless named. Exits with status 1 when a
checked connector has a problem.`;

export const AUDIT_HELP = `switchyard audit tail [--file F | --database-url URL] [--limit N] [--follow] [--json]
switchyard audit query [--file F | --database-url URL] [--tool GLOB] [--since 1h|ISO] [--tenant T] [--outcome CODE] [--limit N] [--json]

Reads the audit trail back: every call with its tenant, tool, redacted input, outcome, attempts,
upstream request ids, duration and approval decision. The trail is the PostgreSQL table
(--database-url, audit.databaseUrl, SWITCHYARD_AUDIT_DATABASE_URL) or the JSON-lines file
(--file, audit.file, SWITCHYARD_AUDIT_FILE).`;

export const SANDBOX_HELP = `switchyard sandbox [--port N] [--json]

Starts the built-in sandbox: loopback fake upstreams for GitHub, Slack, Jira and AWS Secrets
Manager (stateful, paginated, with switchable rate limits and faults), and PostgreSQL (your
DATABASE_URL, or an embedded PGlite with a demo schema when it is not set), and prints the
environment variables that point connectors at them. Runs until interrupted. Drive faults over HTTP, e.g.:

  curl -X POST $SANDBOX/__sandbox/faults -d '{"upstream":"github","fault":{"kind":"rate_limit_429","retryAfterSeconds":2,"count":1}}'`;

export const DEMO_HELP = `switchyard demo

The quick start: starts the sandbox, runs \`switchyard serve github\` over stdio, drives it with a
real MCP client and prints a transcript: the tools, a paginated listing, a rate-limit wait handled,
a credential rotated mid-run, and a refused write in read-only mode. Needs no credentials.`;

/** Every command the CLI knows, with its help. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  list: LIST_HELP,
  call: CALL_HELP,
  serve: SERVE_HELP,
  doctor: DOCTOR_HELP,
  audit: AUDIT_HELP,
  sandbox: SANDBOX_HELP,
  demo: DEMO_HELP,
};
