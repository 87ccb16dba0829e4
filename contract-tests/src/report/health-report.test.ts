import { describe, expect, it } from "vitest";
import { buildHealthReport, driftSummary, healthMarkdown, type VitestJsonReport } from "./health-report.js";

// Synthetic vitest JSON reporter output: what `vitest run --reporter=json` writes for contract tests.
const scenario = (target: string, tool: string, extra: Record<string, unknown> = {}) => ({
  connector: "github",
  tool,
  toolClass: tool.includes("create") ? "write" : "read",
  target,
  kind: "scenario",
  ...extra,
});

const mock: VitestJsonReport = {
  testResults: [
    {
      name: "/repo/contract-tests/src/connectors/github-contract.test.ts",
      status: "failed",
      assertionResults: [
        {
          ancestorTitles: ["github contract [mock]"],
          title: "github_get_repository: reads a repository",
          status: "passed",
          duration: 40,
          meta: { contract: scenario("mock", "github_get_repository", { latencyMs: 31, attempts: 1 }) },
        },
        {
          ancestorTitles: ["github contract [mock]"],
          title: "github_create_issue: opens an issue",
          status: "failed",
          failureMessages: ["\u001b[31mConnectorError: Upstream answered HTTP 500\u001b[39m\n    at stack"],
          meta: { contract: scenario("mock", "github_create_issue", { latencyMs: 12, attempts: 1 }) },
        },
        {
          ancestorTitles: ["fault matrix: github [mock]"],
          title: "github × read (github_get_repository) × HTTP 500 × once",
          status: "passed",
          meta: {
            contract: { connector: "github", tool: "github_get_repository", target: "mock", kind: "fault" },
          },
        },
        {
          ancestorTitles: ["fault matrix: github [mock]"],
          title: "github × read (github_get_repository) × timeout × once",
          status: "failed",
          failureMessages: ["AssertionError: hang"],
          meta: {
            contract: { connector: "github", tool: "github_get_repository", target: "mock", kind: "fault" },
          },
        },
      ],
    },
    {
      name: "/repo/contract-tests/src/harness/target.test.ts",
      status: "passed",
      assertionResults: [{ ancestorTitles: ["harness"], title: "defaults to mock", status: "passed" }],
    },
    {
      name: "/repo/contract-tests/src/broken.test.ts",
      status: "failed",
      message: "SyntaxError: x",
      assertionResults: [],
    },
  ],
};

const live: VitestJsonReport = {
  testResults: [
    {
      name: "/repo/contract-tests/src/connectors/github-contract.test.ts",
      status: "skipped",
      assertionResults: [
        {
          ancestorTitles: ["github contract [SKIPPED: set GITHUB_TOKEN to run against CONTRACT_TARGET=live]"],
          title: "github_get_repository: reads a repository",
          status: "skipped",
          meta: { contract: scenario("live", "github_get_repository") },
        },
        {
          ancestorTitles: ["github contract [SKIPPED: set GITHUB_TOKEN to run against CONTRACT_TARGET=live]"],
          title: "github_create_issue: opens an issue [SKIPPED: set CONTRACT_GITHUB_TEST_REPO to run writes]",
          status: "pending",
          meta: {
            contract: scenario("live", "github_create_issue", {
              skipReason: "set CONTRACT_GITHUB_TEST_REPO to run writes",
            }),
          },
        },
      ],
    },
  ],
};

describe("health report", () => {
  const report = buildHealthReport({
    vitest: [mock, live],
    schemaChanges: [
      {
        connector: "github",
        packageName: "@switchyard/github",
        classification: "additive",
        changes: [
          {
            tool: "github_list_issues",
            kind: "additive",
            path: "input.milestone",
            what: "new optional field",
          },
        ],
      },
    ],
    externalDrift: [
      {
        name: "github",
        exitCode: 0,
        summary: "No drift: 404 fields match.",
        markdown: "| x |\n\nNo drift: 404 fields match.\n",
      },
    ],
    now: new Date("2026-01-01T00:00:00Z"),
  });

  it("groups results per connector and tool, across targets, with latency, attempts and reasons", () => {
    expect(report.totals).toEqual({ passed: 3, failed: 2, skipped: 2 });
    expect(report.targets).toEqual(["live", "mock"]);
    const github = report.connectors.find((connector) => connector.connector === "github");
    expect(
      github?.tools.map((tool) => [
        tool.tool,
        tool.scenarios.map((s) => [s.target, s.status, s.latencyMs, s.note]),
      ]),
    ).toEqual([
      [
        "github_get_repository",
        [
          ["mock", "passed", 31, undefined],
          ["live", "skipped", undefined, "set GITHUB_TOKEN to run against CONTRACT_TARGET=live"],
        ],
      ],
      [
        "github_create_issue",
        [
          ["mock", "failed", 12, "ConnectorError: Upstream answered HTTP 500"],
          ["live", "skipped", undefined, "set CONTRACT_GITHUB_TEST_REPO to run writes"],
        ],
      ],
    ]);
    expect(github?.faultMatrix).toEqual([
      {
        target: "mock",
        passed: 1,
        failed: 1,
        skipped: 0,
        failures: ["github × read (github_get_repository) × timeout × once: AssertionError: hang"],
      },
    ]);
    expect(report.otherTests).toEqual([
      { file: "src/harness/target.test.ts", passed: 1, failed: 0, skipped: 0 },
    ]);
    expect(report.brokenFiles).toEqual([{ file: "src/broken.test.ts", message: "SyntaxError: x" }]);
  });

  it("renders markdown with the tool table, the matrix, schema classification and drift", () => {
    const markdown = healthMarkdown(report);
    expect(markdown).toContain("3 passed, 2 failed, 2 skipped");
    expect(markdown).toContain("| github | `github_get_repository` | read | mock | pass | 31 | 1 |  |");
    expect(markdown).toContain(
      "| github | `github_get_repository` | read | live | skipped | – | – | set GITHUB_TOKEN to run against CONTRACT_TARGET=live |",
    );
    expect(markdown).toContain("| github | `github_create_issue` | write | mock | **FAIL** |");
    expect(markdown).toContain("| github | mock | 1 | 1 | 0 |");
    expect(markdown).toContain("| github | @switchyard/github | additive | 1 |");
    expect(markdown).toContain(
      "| additive | `github_list_issues` | `input.milestone` | new optional field |",
    );
    expect(markdown).toContain("### github: ok");
    expect(markdown).toContain("`src/broken.test.ts`: SyntaxError: x");
  });

  it("summarises a drift command's output by its last prose line", () => {
    expect(
      driftSummary("> pnpm banner\n| table |\n\nNo drift: 404 fields in 27 endpoint rows match.\n"),
    ).toBe("No drift: 404 fields in 27 endpoint rows match.");
    expect(driftSummary("| t |\n", "\n3 drift problems not in KNOWN_DRIFT\n")).toBe(
      "3 drift problems not in KNOWN_DRIFT",
    );
  });
});
