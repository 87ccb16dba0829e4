import { z } from "zod";
import * as wire from "../../src/github-api.js";
import { type OpenApiSchema, resolveRef, responseSchema } from "./github-openapi.js";

/**
 * Drift check: every field the connector's zod wire schemas (src/github-api.ts) read must exist in GitHub's
 * OpenAPI description of the endpoint it is read from, with a compatible type. Run by
 * test/openapi-wire-schemas.test.ts and by scripts/check-openapi-drift.ts (markdown report, nightly).
 *
 * What counts as drift, for a field the wire schema declares:
 * - GitHub's description does not have it (removed or renamed upstream);
 * - its type is incompatible (string vs integer, object vs array, ...; a zod integer against an upstream
 *   `number` too, since GitHub may then send a fraction);
 * - GitHub documents `null` for it and the wire schema does not accept null;
 * - the wire schema requires it and GitHub documents it as optional (not in `required`);
 * - GitHub documents an alternative shape (a `oneOf` branch) that the wire schema does not accept.
 * Fields GitHub sends that the wire schema does not declare are not drift: wire objects drop them.
 */

export interface WireEndpoint {
  /** Export name in src/github-api.ts. */
  wireSchema: string;
  schema: z.ZodType;
  /** As the connector calls it; parameter names may differ from the description's. */
  endpoint: string;
  status: number;
  /**
   * Fields the wire schema declares (optional there) that this endpoint does not send, by design, with why:
   * a field listed here is not reported as missing; if GitHub starts documenting it, it is checked as usual.
   */
  absentByDesign?: Record<string, string>;
}

const ONLY_VALIDATION_ERRORS =
  "declared optional in the wire schema: only 422 validation errors carry errors[]";
const SINGLE_PR_ONLY = "declared optional in the wire schema: only the single-PR endpoint sends it";

/** Which wire schema reads which endpoint's response: one row per (schema, endpoint, status) the connector uses. */
export const WIRE_ENDPOINTS: readonly WireEndpoint[] = [
  {
    wireSchema: "issueListSchema",
    schema: wire.issueListSchema,
    endpoint: "GET /repos/{owner}/{repo}/issues",
    status: 200,
  },
  {
    wireSchema: "issueSchema",
    schema: wire.issueSchema,
    endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}",
    status: 200,
  },
  {
    wireSchema: "issueSchema",
    schema: wire.issueSchema,
    endpoint: "POST /repos/{owner}/{repo}/issues",
    status: 201,
  },
  {
    wireSchema: "issueSchema",
    schema: wire.issueSchema,
    endpoint: "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
    status: 200,
  },
  {
    wireSchema: "commentListSchema",
    schema: wire.commentListSchema,
    endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    status: 200,
  },
  {
    wireSchema: "commentSchema",
    schema: wire.commentSchema,
    endpoint: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    status: 201,
  },
  {
    wireSchema: "pullRequestListSchema",
    schema: wire.pullRequestListSchema,
    endpoint: "GET /repos/{owner}/{repo}/pulls",
    status: 200,
    absentByDesign: Object.fromEntries(
      [
        "merged",
        "mergeable",
        "mergeable_state",
        "comments",
        "review_comments",
        "commits",
        "additions",
        "deletions",
        "changed_files",
      ].map((field) => [`[].${field}`, SINGLE_PR_ONLY]),
    ),
  },
  {
    wireSchema: "pullRequestSchema",
    schema: wire.pullRequestSchema,
    endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    status: 200,
  },
  {
    wireSchema: "pullRequestSchema",
    schema: wire.pullRequestSchema,
    endpoint: "POST /repos/{owner}/{repo}/pulls",
    status: 201,
  },
  {
    wireSchema: "pullRequestFileListSchema",
    schema: wire.pullRequestFileListSchema,
    endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
    status: 200,
  },
  {
    wireSchema: "reviewListSchema",
    schema: wire.reviewListSchema,
    endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    status: 200,
  },
  {
    wireSchema: "combinedStatusSchema",
    schema: wire.combinedStatusSchema,
    endpoint: "GET /repos/{owner}/{repo}/commits/{ref}/status",
    status: 200,
  },
  {
    wireSchema: "checkRunsSchema",
    schema: wire.checkRunsSchema,
    endpoint: "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    status: 200,
  },
  {
    wireSchema: "commitListSchema",
    schema: wire.commitListSchema,
    endpoint: "GET /repos/{owner}/{repo}/commits",
    status: 200,
  },
  {
    wireSchema: "repositorySchema",
    schema: wire.repositorySchema,
    endpoint: "GET /repos/{owner}/{repo}",
    status: 200,
  },
  {
    wireSchema: "repositoryListSchema",
    schema: wire.repositoryListSchema,
    endpoint: "GET /user/repos",
    status: 200,
  },
  {
    wireSchema: "repositoryListSchema",
    schema: wire.repositoryListSchema,
    endpoint: "GET /orgs/{org}/repos",
    status: 200,
  },
  {
    wireSchema: "repositoryListSchema",
    schema: wire.repositoryListSchema,
    endpoint: "GET /users/{username}/repos",
    status: 200,
  },
  {
    wireSchema: "installationRepositoriesSchema",
    schema: wire.installationRepositoriesSchema,
    endpoint: "GET /installation/repositories",
    status: 200,
  },
  {
    wireSchema: "contentSchema",
    schema: wire.contentSchema,
    endpoint: "GET /repos/{owner}/{repo}/contents/{path}",
    status: 200,
  },
  {
    wireSchema: "searchIssuesSchema",
    schema: wire.searchIssuesSchema,
    endpoint: "GET /search/issues",
    status: 200,
  },
  {
    wireSchema: "searchCodeSchema",
    schema: wire.searchCodeSchema,
    endpoint: "GET /search/code",
    status: 200,
  },
  {
    wireSchema: "installationTokenSchema",
    schema: wire.installationTokenSchema,
    endpoint: "POST /app/installations/{installation_id}/access_tokens",
    status: 201,
  },
  // The doctor probe reads the login of GET /user.
  { wireSchema: "userSchema", schema: wire.userSchema, endpoint: "GET /user", status: 200 },
  // Error bodies: basic-error (401/403/404/409/410) and validation-error (422).
  {
    wireSchema: "errorBodySchema",
    schema: wire.errorBodySchema,
    endpoint: "GET /repos/{owner}/{repo}",
    status: 404,
    absentByDesign: { errors: ONLY_VALIDATION_ERRORS },
  },
  {
    wireSchema: "errorBodySchema",
    schema: wire.errorBodySchema,
    endpoint: "GET /user",
    status: 401,
    absentByDesign: { errors: ONLY_VALIDATION_ERRORS },
  },
  {
    wireSchema: "errorBodySchema",
    schema: wire.errorBodySchema,
    endpoint: "POST /repos/{owner}/{repo}/issues",
    status: 422,
  },
];

/**
 * Drift that is known and not yet fixed in src/: a problem listed here does not fail the drift test (which
 * instead fails once it is gone, so the entry gets removed) and is marked as known in the report.
 */
export interface KnownDrift {
  wireSchema: string;
  /** As documented. */
  endpoint: string;
  field: string;
  why: string;
}

export const KNOWN_DRIFT: readonly KnownDrift[] = [];

export const isKnownDrift = (problem: DriftProblem) =>
  KNOWN_DRIFT.some(
    (known) =>
      known.wireSchema === problem.wireSchema &&
      known.endpoint === problem.endpoint &&
      known.field === problem.field,
  );

export interface DriftProblem {
  wireSchema: string;
  /** As documented, e.g. `GET /repos/{owner}/{repo}/contents/{path}`. */
  endpoint: string;
  status: number;
  /** Path of the field in the wire schema: `head.sha`, `[].user.login`, `items[].repository.full_name`. */
  field: string;
  problem: string;
}

export interface DriftReport {
  wireSchema: string;
  endpoint: string;
  status: number;
  /** Fields (object properties, at any depth) of the wire schema compared with the description. */
  fieldsChecked: number;
  /** Fields skipped as absent by design at this endpoint. */
  absentByDesign: string[];
  problems: DriftProblem[];
}

type Json = Record<string, any>;
type BaseType = "string" | "number" | "integer" | "boolean" | "array" | "object" | "any";

/** A schema split into its concrete alternatives (one base type each) and whether it admits null. */
interface Alternatives {
  nullable: boolean;
  alts: { type: BaseType; node: Json }[];
}

const baseTypeOf = (node: Json, type: unknown): BaseType => {
  if (type === "string" || type === "number" || type === "integer" || type === "boolean") return type;
  if (type === "array" || type === "object") return type;
  if (node.properties || node.additionalProperties) return "object";
  if (node.items) return "array";
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    const first = node.enum.find((value: unknown) => value !== null);
    if (typeof first === "string") return "string";
    if (typeof first === "boolean") return "boolean";
    if (typeof first === "number") return Number.isInteger(first) ? "integer" : "number";
  }
  return "any";
};

/** OpenAPI side: `$ref`s resolved, `allOf` merged, `oneOf`/`anyOf` flattened, `nullable` read. */
function upstreamAlternatives(input: OpenApiSchema, depth = 0): Alternatives {
  if (depth > 40) throw new Error("OpenAPI schema nests too deeply");
  const node = resolveRef(input) ?? {};
  const merged = node.allOf ? mergeAllOf(node) : node;
  let nullable = merged.nullable === true;
  const alts: Alternatives["alts"] = [];
  const branches = merged.oneOf ?? merged.anyOf;
  if (Array.isArray(branches)) {
    for (const branch of branches) {
      const sub = upstreamAlternatives(branch, depth + 1);
      nullable ||= sub.nullable;
      alts.push(...sub.alts);
    }
    return { nullable, alts };
  }
  const types: unknown[] = Array.isArray(merged.type) ? merged.type : [merged.type];
  for (const type of types) {
    if (type === "null") nullable = true;
    else alts.push({ type: baseTypeOf(merged, type), node: merged });
  }
  return { nullable, alts };
}

function mergeAllOf(node: Json): Json {
  const { allOf, ...rest } = node;
  const parts = (allOf as Json[]).map((part) => {
    const resolved = resolveRef(part);
    return resolved.allOf ? mergeAllOf(resolved) : resolved;
  });
  const merged: Json = { ...rest };
  for (const part of [...parts, rest]) {
    for (const [key, value] of Object.entries(part)) {
      if (key === "properties") merged.properties = { ...merged.properties, ...value };
      else if (key === "required") merged.required = [...new Set([...(merged.required ?? []), ...value])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

/** Zod side, from `z.toJSONSchema(schema, { io: "input" })`: what the wire schema accepts. */
function wireAlternatives(node: Json, root: Json): Alternatives {
  if (typeof node.$ref === "string") return wireAlternatives(resolveLocal(root, node.$ref), root);
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) {
    const alts: Alternatives["alts"] = [];
    let nullable = false;
    for (const branch of branches) {
      const sub = wireAlternatives(branch, root);
      nullable ||= sub.nullable;
      alts.push(...sub.alts);
    }
    return { nullable, alts };
  }
  const types: unknown[] = Array.isArray(node.type) ? node.type : [node.type];
  let nullable = false;
  const alts: Alternatives["alts"] = [];
  for (const type of types) {
    if (type === "null") nullable = true;
    else alts.push({ type: baseTypeOf(node, type), node });
  }
  return { nullable, alts };
}

function resolveLocal(root: Json, ref: string): Json {
  let node: any = root;
  for (const part of ref.replace(/^#\//, "").split("/")) node = node?.[part];
  if (!node) throw new Error(`unresolvable zod JSON Schema $ref ${ref}`);
  return node;
}

/** Can a value GitHub documents as `upstream` be read as `wire`? */
const compatible = (wireType: BaseType, upstreamType: BaseType) =>
  wireType === upstreamType ||
  wireType === "any" ||
  upstreamType === "any" ||
  (wireType === "number" && upstreamType === "integer");

const typeList = (alternatives: Alternatives) => {
  const names = [...new Set(alternatives.alts.map((alt) => alt.type))];
  if (alternatives.nullable) names.push("null" as BaseType);
  return names.join(" | ") || "nothing";
};

interface WalkContext {
  entry: WireEndpoint;
  documentedEndpoint: string;
  root: Json;
  problems: DriftProblem[];
  absentSkipped: string[];
  fields: number;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const display = (path: string) => path || "(response)";

function walk(ctx: WalkContext, wireNode: Json, upstream: Alternatives, path: string): void {
  const report = (problem: string) =>
    ctx.problems.push({
      wireSchema: ctx.entry.wireSchema,
      endpoint: ctx.documentedEndpoint,
      status: ctx.entry.status,
      field: display(path),
      problem,
    });
  const accepted = wireAlternatives(wireNode, ctx.root);
  if (upstream.nullable && !accepted.nullable) {
    report(`GitHub documents null here; ${ctx.entry.wireSchema} does not accept null`);
  }
  // Every shape GitHub documents must be readable by some alternative of the wire schema...
  const matches = new Map<number, Json[]>();
  for (const alt of upstream.alts) {
    const index = accepted.alts.findIndex((candidate) => compatible(candidate.type, alt.type));
    if (index === -1) {
      const wanted = typeList(accepted);
      report(
        alt.type === "number" && accepted.alts.some((candidate) => candidate.type === "integer")
          ? `GitHub documents number (fractions allowed); ${ctx.entry.wireSchema} expects an integer`
          : `GitHub documents ${alt.type}; ${ctx.entry.wireSchema} expects ${wanted}`,
      );
      continue;
    }
    matches.set(index, [...(matches.get(index) ?? []), alt.node]);
  }
  // ...and what each alternative reads must be there in the shapes it reads.
  for (const [index, upstreamNodes] of matches) {
    const alt = accepted.alts[index]!;
    if (alt.type === "array") {
      const items = upstreamNodes.map((node) => upstreamAlternatives(node.items ?? {}));
      walk(ctx, alt.node.items ?? {}, combine(items), `${path}[]`);
    } else if (alt.type === "object") {
      walkObject(ctx, alt.node, upstreamNodes, path);
    }
  }
}

function walkObject(ctx: WalkContext, wireObject: Json, upstreamNodes: Json[], path: string): void {
  const required = new Set<string>(wireObject.required ?? []);
  for (const [key, wireField] of Object.entries<Json>(wireObject.properties ?? {})) {
    const fieldPath = join(path, key);
    ctx.fields += 1;
    const holders = upstreamNodes.filter((node) => node.properties && key in node.properties);
    const report = (problem: string) =>
      ctx.problems.push({
        wireSchema: ctx.entry.wireSchema,
        endpoint: ctx.documentedEndpoint,
        status: ctx.entry.status,
        field: fieldPath,
        problem,
      });
    if (holders.length === 0) {
      // An object documented without properties (free-form) cannot be checked further; not drift.
      if (upstreamNodes.every((node) => !node.properties)) continue;
      if (ctx.entry.absentByDesign?.[fieldPath] !== undefined) {
        ctx.absentSkipped.push(fieldPath);
        continue;
      }
      report(`not in GitHub's description of this response (removed or renamed upstream?)`);
      continue;
    }
    if (required.has(key)) {
      const without = upstreamNodes.filter((node) => !holders.includes(node));
      if (without.length > 0) {
        const names = without.map((node) =>
          typeof node.title === "string" ? `"${node.title}"` : "an object",
        );
        report(
          `${ctx.entry.wireSchema} requires it; GitHub also documents ${names.join(", ")} without it here`,
        );
      } else if (holders.some((node) => !(node.required ?? []).includes(key))) {
        report(`${ctx.entry.wireSchema} requires it; GitHub documents it as optional`);
      }
    }
    walk(
      ctx,
      wireField,
      combine(holders.map((node) => upstreamAlternatives(node.properties[key]))),
      fieldPath,
    );
  }
}

const combine = (parts: Alternatives[]): Alternatives => ({
  nullable: parts.some((part) => part.nullable),
  alts: parts.flatMap((part) => part.alts),
});

/** Compares one wire schema with one documented response. */
export function checkWireEndpoint(entry: WireEndpoint): DriftReport {
  const documented = responseSchema(entry.endpoint, entry.status);
  const root = z.toJSONSchema(entry.schema, { io: "input", unrepresentable: "any" }) as Json;
  const ctx: WalkContext = {
    entry,
    documentedEndpoint: documented.endpoint,
    root,
    problems: [],
    absentSkipped: [],
    fields: 0,
  };
  walk(ctx, root, upstreamAlternatives(documented.schema), "");
  return {
    wireSchema: entry.wireSchema,
    endpoint: documented.endpoint,
    status: entry.status,
    fieldsChecked: ctx.fields,
    absentByDesign: ctx.absentSkipped,
    problems: ctx.problems,
  };
}

/** Every row of WIRE_ENDPOINTS, checked. */
export function checkWireSchemaDrift(entries: readonly WireEndpoint[] = WIRE_ENDPOINTS): DriftReport[] {
  return entries.map(checkWireEndpoint);
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A markdown report: one row per endpoint and wire schema, then the problems, if any. */
export function driftMarkdown(reports: readonly DriftReport[], descriptionVersion: string): string {
  const problems = reports.flatMap((report) => report.problems);
  const lines = [
    `## GitHub wire schemas vs. GitHub's OpenAPI description (@octokit/openapi ${descriptionVersion})`,
    "",
    "| Endpoint | Status | Wire schema | Fields checked | Absent by design | Problems |",
    "| --- | --- | --- | --- | --- | --- |",
    ...reports.map(
      (report) =>
        `| \`${cell(report.endpoint)}\` | ${report.status} | \`${report.wireSchema}\` | ${report.fieldsChecked} | ${report.absentByDesign.length} | ${report.problems.length === 0 ? "none" : `**${report.problems.length}**`} |`,
    ),
    "",
  ];
  const fields = reports.reduce((sum, report) => sum + report.fieldsChecked, 0);
  if (problems.length === 0) {
    lines.push(`No drift: ${fields} fields in ${reports.length} endpoint rows match.`);
  } else {
    const known = problems.filter(isKnownDrift).length;
    lines.push(
      `### ${problems.length} problem${problems.length === 1 ? "" : "s"} (${problems.length - known} new, ${known} known)`,
      "",
      "| Endpoint | Status | Wire schema | Field | Problem | Known |",
      "| --- | --- | --- | --- | --- | --- |",
      ...problems.map(
        (problem) =>
          `| \`${cell(problem.endpoint)}\` | ${problem.status} | \`${problem.wireSchema}\` | \`${cell(problem.field)}\` | ${cell(problem.problem)} | ${isKnownDrift(problem) ? "known" : "**new**"} |`,
      ),
    );
    const knownSeen = KNOWN_DRIFT.filter((entry) =>
      problems.some(
        (problem) =>
          problem.wireSchema === entry.wireSchema &&
          problem.endpoint === entry.endpoint &&
          problem.field === entry.field,
      ),
    );
    if (knownSeen.length > 0) {
      lines.push(
        "",
        "Known drift:",
        "",
        ...knownSeen.map((entry) => `- \`${entry.wireSchema}\` \`${entry.field}\`: ${entry.why}`),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** One line per problem, naming field, endpoint and wire schema (for test failures). */
export const describeDrift = (problem: DriftProblem) =>
  `${problem.wireSchema}: field \`${problem.field}\` of ${problem.endpoint} (${problem.status}): ${problem.problem}`;
