#!/usr/bin/env node
// Enforces the workspace dependency direction and exact version pins.
//
//   @switchyard/core       -> no workspace package
//   connector (any package under packages/ other than the support packages below)
//                          -> @switchyard/core only (never another connector, never a support package)
//   support packages: @switchyard/mcp, @switchyard/bench, @switchyard/sandbox
//   @switchyard/sandbox    -> no connector (its fakes stand in for the upstreams, not for our code)
//   @switchyard/mcp, @switchyard/bench, contract-tests
//                          -> may depend on connectors and on @switchyard/sandbox
//
// Every version in dependencies / devDependencies / optionalDependencies of the
// root, packages/* and contract-tests package.json must be exact: no ^, ~,
// "latest" or other ranges. Workspace packages must be referenced as "workspace:*".
// peerDependencies are checked for direction only: a peer range is the point of a peer.
//
// Usage: node scripts/check-deps.mjs [repo-root]   (default: the repo this script is in)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));

const CORE = "@switchyard/core";
const SANDBOX = "@switchyard/sandbox";
const MAY_USE_CONNECTORS = new Set(["@switchyard/mcp", "@switchyard/bench", "@switchyard/contract-tests"]);
const NON_CONNECTORS = new Set([CORE, "@switchyard/mcp", "@switchyard/bench", SANDBOX]);
const PINNED_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"];
const DIRECTION_FIELDS = [...PINNED_FIELDS, "peerDependencies"];

/** @type {{ rel: string, json: Record<string, any>, inPackages: boolean }[]} */
const manifests = [];
const violations = [];

function load(rel, inPackages) {
  const file = path.join(root, rel);
  if (!existsSync(file)) return;
  try {
    manifests.push({ rel, json: JSON.parse(readFileSync(file, "utf8")), inPackages });
  } catch (err) {
    violations.push(`${rel}: cannot parse (${err.message})`);
  }
}

load("package.json", false);
const packagesDir = path.join(root, "packages");
if (existsSync(packagesDir)) {
  for (const entry of readdirSync(packagesDir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.isDirectory()) load(`packages/${entry.name}/package.json`, true);
  }
}
load("contract-tests/package.json", false);

const workspaceNames = new Set(
  manifests.filter((m) => m.rel !== "package.json" && m.json.name).map((m) => m.json.name),
);
for (const m of manifests) {
  if (m.inPackages && !m.json.name) violations.push(`${m.rel}: has no "name"`);
}
const isConnector = (name) =>
  manifests.some((m) => m.inPackages && m.json.name === name) && !NON_CONNECTORS.has(name);

function versionProblem(spec) {
  if (spec === "workspace:*") return null;
  if (spec.startsWith("workspace:")) return 'use "workspace:*"';
  if (/^(file|link|portal):/.test(spec)) return null;
  // npm:name@1.2.3 aliases: check the version part
  const version = spec.startsWith("npm:") ? spec.slice(spec.lastIndexOf("@") + 1) : spec;
  if (version.includes("^")) return "uses ^ (pin an exact version)";
  if (version.includes("~")) return "uses ~ (pin an exact version)";
  if (version === "latest") return 'uses "latest" (pin an exact version)';
  if (/^\s*$|^[*xX]$|[<>]|\|\||\s-\s/.test(version)) return "is a range (pin an exact version)";
  return null;
}

let checked = 0;
for (const m of manifests) {
  const name = m.json.name ?? m.rel;
  for (const field of DIRECTION_FIELDS) {
    for (const [dep, spec] of Object.entries(m.json[field] ?? {})) {
      checked++;
      const where = `${m.rel} ${field} "${dep}": "${spec}"`;
      if (PINNED_FIELDS.includes(field)) {
        const problem = versionProblem(String(spec));
        if (problem) violations.push(`${where} ${problem}`);
      }
      if (!workspaceNames.has(dep) || m.rel === "package.json") continue;
      if (field !== "peerDependencies" && spec !== "workspace:*" && !String(spec).startsWith("workspace:")) {
        violations.push(`${where} is a workspace package: use "workspace:*"`);
      }
      if (dep === name) {
        violations.push(`${where}: a package must not depend on itself`);
      } else if (name === CORE) {
        violations.push(`${where}: ${CORE} must not depend on any workspace package`);
      } else if (isConnector(name) && dep !== CORE) {
        violations.push(
          isConnector(dep)
            ? `${where}: connector ${name} must not depend on another connector`
            : `${where}: connector ${name} may depend only on ${CORE} among workspace packages`,
        );
      } else if (name === SANDBOX && isConnector(dep)) {
        violations.push(`${where}: ${SANDBOX} fakes upstreams and must not depend on a connector`);
      } else if (isConnector(dep) && !MAY_USE_CONNECTORS.has(name)) {
        violations.push(`${where}: only @switchyard/mcp, bench and contract-tests may depend on connectors`);
      } else if (dep === SANDBOX && !MAY_USE_CONNECTORS.has(name)) {
        violations.push(`${where}: only @switchyard/mcp, bench and contract-tests may depend on ${SANDBOX}`);
      }
    }
  }
}

if (violations.length > 0) {
  for (const v of violations) console.error(`check-deps: ${v}`);
  console.error(`check-deps: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log(
  `check-deps: OK (${manifests.length} package.json file(s), ${workspaceNames.size} workspace package(s), ${checked} dependencies)`,
);
