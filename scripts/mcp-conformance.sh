#!/usr/bin/env bash
# Runs the official MCP conformance suite (HTTP) and the MCP Inspector CLI (stdio) against the real
# `switchyard serve`, with pinned versions that run on Node 20. Needs `pnpm build` first. No credentials are
# needed: listing works without them, and calls fail with typed errors, which is what the checks look at.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLI="$ROOT/packages/mcp/bin/switchyard.mjs"
CONFORMANCE="@modelcontextprotocol/conformance@0.1.13"
INSPECTOR="@modelcontextprotocol/inspector@2.12.0"
PORT="${MCP_CONFORMANCE_PORT:-38808}"
WORK="$(mktemp -d)"
LOG="$WORK/serve.log"
# Credential-free environment: nothing here may reach a real upstream.
CLEAN_ENV=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" "GITHUB_API_URL=http://127.0.0.1:9")

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"${CLEAN_ENV[@]}" node "$CLI" serve github test --http "127.0.0.1:$PORT" 2>"$LOG" &
SERVER_PID=$!
for _ in $(seq 1 50); do
  grep -q "MCP over HTTP" "$LOG" 2>/dev/null && break
  sleep 0.1
done
grep -q "MCP over HTTP" "$LOG" || { cat "$LOG"; echo "switchyard serve did not start" >&2; exit 1; }

failed=0
for scenario in server-initialize ping tools-list tools-call-error dns-rebinding-protection; do
  echo "== conformance: $scenario"
  status=0
  output="$(cd "$WORK" && npx -y "$CONFORMANCE" server --url "http://127.0.0.1:$PORT/mcp" --scenario "$scenario" 2>&1)" || status=$?
  grep -E "SUCCESS|FAILURE|WARNING|Passed|Error" <<<"$output" || true
  [ "$status" -eq 0 ] || failed=1
done

echo "== inspector --cli: tools/list over stdio"
list_out="$(cd "$WORK" && "${CLEAN_ENV[@]}" npx -y "$INSPECTOR" --cli node "$CLI" serve github --method tools/list 2>&1)"
if ! grep -q '"github_list_issues"' <<<"$list_out"; then echo "$list_out" | tail -20; failed=1; else echo "lists github_list_issues: ok"; fi

echo "== inspector --cli: tools/call over stdio"
call_out="$(cd "$WORK" && "${CLEAN_ENV[@]}" npx -y "$INSPECTOR" --cli node "$CLI" serve github --method tools/call --tool-name github_get_repository --tool-arg owner=acme --tool-arg repo=api 2>&1 || true)"
if ! grep -q "credentials_missing" <<<"$call_out"; then echo "$call_out" | tail -20; failed=1; else echo "call answered with a typed error (credentials_missing): ok"; fi

if [ "$failed" -ne 0 ]; then echo "MCP conformance: FAILED" >&2; exit 1; fi
echo "MCP conformance: all checks passed"
