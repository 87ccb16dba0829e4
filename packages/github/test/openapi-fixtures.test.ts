import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";
import {
  loadGithubOpenApi,
  responseSchema,
  validateComponent,
  validateResponse,
} from "./openapi/github-openapi.js";

/**
 * Every fixture is a response body GitHub would really send: each is validated against GitHub's official
 * OpenAPI description (@octokit/openapi, api.github.com) for every endpoint and status the tests serve it as.
 * A fixture that fails is corrected to match the description; the validator is never loosened.
 */

type Shape = "body" | "list item" | "installation repositories";

interface Use {
  /** As documented; parameter names may differ from the connector's. */
  endpoint: string;
  status: number;
  /** How the tests serve it: as the whole body, as one element of a list, or wrapped like GET /installation/repositories. */
  as?: Shape;
}

interface Mapping {
  uses: Use[];
  /** Error bodies: the component schema GitHub documents for them. */
  errorSchema?: "basic-error" | "validation-error";
}

const FIXTURES: Record<string, Mapping> = {
  issue: {
    uses: [
      { endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}", status: 200 },
      { endpoint: "GET /repos/{owner}/{repo}/issues", status: 200, as: "list item" },
      { endpoint: "POST /repos/{owner}/{repo}/issues", status: 201 },
      { endpoint: "PATCH /repos/{owner}/{repo}/issues/{issue_number}", status: 200 },
    ],
  },
  "issue-comments": {
    uses: [{ endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments", status: 200 }],
  },
  comment: { uses: [{ endpoint: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", status: 201 }] },
  "pull-request": {
    uses: [
      { endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}", status: 200 },
      { endpoint: "POST /repos/{owner}/{repo}/pulls", status: 201 },
      { endpoint: "GET /repos/{owner}/{repo}/pulls", status: 200, as: "list item" },
    ],
  },
  "pull-request-files": {
    uses: [{ endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", status: 200 }],
  },
  "pull-request-reviews": {
    uses: [{ endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", status: 200 }],
  },
  "combined-status": { uses: [{ endpoint: "GET /repos/{owner}/{repo}/commits/{ref}/status", status: 200 }] },
  "check-runs": { uses: [{ endpoint: "GET /repos/{owner}/{repo}/commits/{ref}/check-runs", status: 200 }] },
  commits: { uses: [{ endpoint: "GET /repos/{owner}/{repo}/commits", status: 200 }] },
  "content-file": { uses: [{ endpoint: "GET /repos/{owner}/{repo}/contents/{path}", status: 200 }] },
  "content-dir": { uses: [{ endpoint: "GET /repos/{owner}/{repo}/contents/{path}", status: 200 }] },
  repository: {
    uses: [
      { endpoint: "GET /repos/{owner}/{repo}", status: 200 },
      { endpoint: "GET /user/repos", status: 200, as: "list item" },
      { endpoint: "GET /orgs/{org}/repos", status: 200, as: "list item" },
      { endpoint: "GET /installation/repositories", status: 200, as: "installation repositories" },
    ],
  },
  "search-issues": { uses: [{ endpoint: "GET /search/issues", status: 200 }] },
  "search-code": { uses: [{ endpoint: "GET /search/code", status: 200 }] },
  "installation-token": {
    uses: [{ endpoint: "POST /app/installations/{installation_id}/access_tokens", status: 201 }],
  },
  // Error bodies. The tests also serve some where GitHub's description documents no such status (a 401 on
  // GET /repos/{owner}/{repo}, a 403 on check-runs, the secondary rate limit as 429): the errorSchema
  // check covers those.
  "bad-credentials": { uses: [{ endpoint: "GET /user", status: 401 }], errorSchema: "basic-error" },
  "not-found": { uses: [{ endpoint: "GET /repos/{owner}/{repo}", status: 404 }], errorSchema: "basic-error" },
  "primary-rate-limit": {
    uses: [{ endpoint: "GET /repos/{owner}/{repo}", status: 403 }],
    errorSchema: "basic-error",
  },
  "secondary-rate-limit": {
    uses: [{ endpoint: "GET /repos/{owner}/{repo}", status: 403 }],
    errorSchema: "basic-error",
  },
  "resource-not-accessible": {
    uses: [{ endpoint: "GET /repos/{owner}/{repo}", status: 403 }],
    errorSchema: "basic-error",
  },
  "validation-failed": {
    uses: [{ endpoint: "POST /repos/{owner}/{repo}/issues", status: 422 }],
    errorSchema: "validation-error",
  },
};

/** Fixture files that are not API response bodies (none today), each with what it is instead. */
const NOT_API_RESPONSES: Record<string, string> = {};

/** Error bodies written inline in errors.test.ts rather than as fixtures, checked the same way. */
const INLINE_ERROR_BODIES: { name: string; endpoint: string; status: number; body: unknown }[] = [
  {
    name: "empty repository (409)",
    endpoint: "GET /repos/{owner}/{repo}/commits",
    status: 409,
    body: { message: "Git Repository is empty." },
  },
  {
    name: "deleted issue (410)",
    endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}",
    status: 410,
    body: { message: "This issue was deleted" },
  },
];

const shaped = (value: unknown, as: Shape = "body") => {
  if (as === "list item") return [value];
  if (as === "installation repositories") {
    return { total_count: 1, repository_selection: "selected", repositories: [value] };
  }
  return value;
};

const fixtureNames = readdirSync(new URL("./fixtures/", import.meta.url))
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.slice(0, -".json".length))
  .sort();

describe(`fixtures against GitHub's OpenAPI description (@octokit/openapi ${loadGithubOpenApi().info.version})`, () => {
  it("maps every fixture file, and maps only files that exist", () => {
    const unmapped = fixtureNames.filter((name) => !(name in FIXTURES) && !(name in NOT_API_RESPONSES));
    expect(unmapped, "add new fixtures to FIXTURES (or NOT_API_RESPONSES) in this file").toEqual([]);
    const missing = [...Object.keys(FIXTURES), ...Object.keys(NOT_API_RESPONSES)].filter(
      (name) => !fixtureNames.includes(name),
    );
    expect(missing, "mapped fixtures without a file").toEqual([]);
    const both = Object.keys(FIXTURES).filter((name) => name in NOT_API_RESPONSES);
    expect(both).toEqual([]);
  });

  for (const [name, mapping] of Object.entries(FIXTURES)) {
    for (const { endpoint, status, as = "body" } of mapping.uses) {
      it(`${name}.json is a valid ${as} of ${endpoint} ${status}`, () => {
        const { errors } = validateResponse(endpoint, status, shaped(fixture(name), as));
        expect(errors, `${name}.json against ${endpoint} ${status}`).toEqual([]);
      });
    }
    const schema = mapping.errorSchema;
    if (schema) {
      it(`${name}.json is a ${schema}, the schema GitHub documents for it`, () => {
        for (const use of mapping.uses) {
          expect(responseSchema(use.endpoint, use.status).schema.$ref).toBe(`#/components/schemas/${schema}`);
        }
        expect(validateComponent(schema, fixture(name)).errors).toEqual([]);
      });
    }
  }

  for (const { name, endpoint, status, body } of INLINE_ERROR_BODIES) {
    it(`inline error body: ${name} is a basic-error of ${endpoint} ${status}`, () => {
      expect(responseSchema(endpoint, status).schema.$ref).toBe("#/components/schemas/basic-error");
      expect(validateResponse(endpoint, status, body).errors).toEqual([]);
    });
  }

  it("the validator rejects what GitHub would not send", () => {
    const issue = fixture("issue");
    const endpoint = "GET /repos/{owner}/{repo}/issues/{issue_number}";
    expect(validateResponse(endpoint, 200, { ...issue, number: "1347" }).errors).toContainEqual(
      expect.stringMatching(/^\/number must be integer/),
    );
    const { user: _user, ...withoutUser } = issue;
    expect(validateResponse(endpoint, 200, withoutUser).errors).toContainEqual(
      expect.stringMatching(/must have required property 'user'/),
    );
    // nullable (OpenAPI 3.0) is honoured both ways: null where documented, not elsewhere.
    expect(validateResponse(endpoint, 200, { ...issue, closed_at: null, body: null }).valid).toBe(true);
    expect(validateResponse(endpoint, 200, { ...issue, title: null }).valid).toBe(false);
    // formats are checked too.
    expect(validateResponse(endpoint, 200, { ...issue, created_at: "yesterday" }).errors).toContainEqual(
      expect.stringMatching(/^\/created_at must match format "date-time"/),
    );
    expect(validateComponent("validation-error", { message: "Validation Failed" }).errors).toContainEqual(
      expect.stringMatching(/documentation_url/),
    );
  });

  it("names an endpoint or status the description does not document", () => {
    expect(() => validateResponse("GET /repos/{owner}/{repo}/nonsense", 200, {})).toThrow(
      /no operation GET \/repos\/\{owner\}\/\{repo\}\/nonsense/,
    );
    expect(() => validateResponse("GET /repos/{owner}/{repo}", 418, {})).toThrow(/documents no 418 response/);
  });
});
