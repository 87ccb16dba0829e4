import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadGithubOpenApi } from "./openapi/github-openapi.js";
import {
  checkWireEndpoint,
  checkWireSchemaDrift,
  describeDrift,
  isKnownDrift,
  KNOWN_DRIFT,
  WIRE_ENDPOINTS,
} from "./openapi/wire-drift.js";

/** The contents call is built as a template literal: `.../contents` plus the encoded path. */
const CALLED_AS: Record<string, string> = {
  "GET /repos/{owner}/{repo}/contents": "GET /repos/{owner}/{repo}/contents/{path}",
};
/** Endpoints src/ calls without reading the body through a wire schema. */
const READS_NO_BODY: Record<string, string> = {
  "GET /rate_limit": "the doctor probe reads only the rate-limit headers",
};

/**
 * Drift check (also run nightly through scripts/check-openapi-drift.ts): every field the wire schemas in
 * src/github-api.ts read must still be in GitHub's OpenAPI description, with a compatible type.
 */
describe(`wire schemas against GitHub's OpenAPI description (@octokit/openapi ${loadGithubOpenApi().info.version})`, () => {
  for (const entry of WIRE_ENDPOINTS) {
    it(`${entry.wireSchema} reads ${entry.endpoint} ${entry.status}`, () => {
      const report = checkWireEndpoint(entry);
      expect(report.fieldsChecked).toBeGreaterThan(0);
      const unexpected = report.problems.filter((problem) => !isKnownDrift(problem)).map(describeDrift);
      expect(
        unexpected,
        "fields the connector reads that GitHub's description no longer has as read",
      ).toEqual([]);
    });
  }

  it("known drift is still there (remove fixed entries from KNOWN_DRIFT)", () => {
    const problems = checkWireSchemaDrift().flatMap((report) => report.problems);
    const gone = KNOWN_DRIFT.filter(
      (known) =>
        !problems.some(
          (problem) =>
            problem.wireSchema === known.wireSchema &&
            problem.endpoint === known.endpoint &&
            problem.field === known.field,
        ),
    );
    expect(gone).toEqual([]);
  });

  it("maps every endpoint src/ calls to a wire schema (or says why it reads no body)", () => {
    const called = new Set<string>();
    const srcDir = new URL("../src/", import.meta.url);
    for (const file of readdirSync(srcDir, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      const source = readFileSync(new URL(file, srcDir), "utf8");
      for (const [, endpoint] of source.matchAll(/["`]((?:GET|POST|PATCH|PUT|DELETE) \/[^"`$]*)/g)) {
        called.add(CALLED_AS[endpoint!] ?? endpoint!);
      }
    }
    expect(called.size).toBeGreaterThan(20);
    const mapped = new Set(WIRE_ENDPOINTS.map((entry) => entry.endpoint));
    const unmapped = [...called].filter((endpoint) => !mapped.has(endpoint) && !(endpoint in READS_NO_BODY));
    expect(unmapped, "add them to WIRE_ENDPOINTS in test/openapi/wire-drift.ts").toEqual([]);
  });

  describe("reports drift, naming the field, the endpoint and the wire schema", () => {
    const check = (schema: z.ZodType, endpoint = "GET /repos/{owner}/{repo}/issues/{issue_number}") =>
      checkWireEndpoint({ wireSchema: "testSchema", schema, endpoint, status: 200 }).problems.map(
        describeDrift,
      );

    it("an upstream change to the description (simulated in memory) fails the real wire schema", () => {
      const issue = loadGithubOpenApi().components.schemas.issue!;
      const saved = structuredClone(issue);
      try {
        delete issue.properties.html_url;
        issue.properties.number = { type: "string" };
        const entry = WIRE_ENDPOINTS.find((row) => row.endpoint === "POST /repos/{owner}/{repo}/issues")!;
        expect(checkWireEndpoint(entry).problems.map(describeDrift)).toEqual([
          "issueSchema: field `number` of POST /repos/{owner}/{repo}/issues (201): GitHub documents string; issueSchema expects integer",
          "issueSchema: field `html_url` of POST /repos/{owner}/{repo}/issues (201): not in GitHub's description of this response (removed or renamed upstream?)",
        ]);
      } finally {
        Object.assign(issue, saved);
      }
      expect(
        checkWireSchemaDrift()
          .flatMap((report) => report.problems)
          .filter((p) => !isKnownDrift(p)),
      ).toEqual([]);
    });

    it("a field GitHub does not have (removed or renamed)", () => {
      expect(check(z.looseObject({ number: z.number().int(), issue_title: z.string().optional() }))).toEqual([
        "testSchema: field `issue_title` of GET /repos/{owner}/{repo}/issues/{issue_number} (200): not in GitHub's description of this response (removed or renamed upstream?)",
      ]);
    });

    it("a retyped field, nested ones included", () => {
      expect(
        check(z.looseObject({ number: z.string(), user: z.looseObject({ login: z.number() }).nullable() })),
      ).toEqual([
        "testSchema: field `number` of GET /repos/{owner}/{repo}/issues/{issue_number} (200): GitHub documents integer; testSchema expects string",
        "testSchema: field `user.login` of GET /repos/{owner}/{repo}/issues/{issue_number} (200): GitHub documents string; testSchema expects number",
      ]);
    });

    it("null where the wire schema does not accept it", () => {
      expect(check(z.looseObject({ closed_at: z.string().optional() }))).toEqual([
        "testSchema: field `closed_at` of GET /repos/{owner}/{repo}/issues/{issue_number} (200): GitHub documents null here; testSchema does not accept null",
      ]);
    });

    it("a required field GitHub may omit, and an integer GitHub documents as number", () => {
      expect(check(z.looseObject({ pull_request: z.looseObject({}) }))).toEqual([
        "testSchema: field `pull_request` of GET /repos/{owner}/{repo}/issues/{issue_number} (200): testSchema requires it; GitHub documents it as optional",
      ]);
      expect(
        check(
          z.looseObject({ items: z.array(z.looseObject({ score: z.number().int() })) }),
          "GET /search/code",
        ),
      ).toEqual([
        "testSchema: field `items[].score` of GET /search/code (200): GitHub documents number (fractions allowed); testSchema expects an integer",
      ]);
    });

    it("an array where GitHub sends an object", () => {
      expect(check(z.looseObject({ labels: z.looseObject({}).optional() }))).toEqual([
        "testSchema: field `labels` of GET /repos/{owner}/{repo}/issues/{issue_number} (200): GitHub documents array; testSchema expects object",
      ]);
    });
  });
});
