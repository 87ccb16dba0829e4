import { describe, expect, it } from "vitest";
import { contractTarget, planScenario, scenarioTitle } from "./target.js";

describe("harness: CONTRACT_TARGET", () => {
  it("defaults to mock and accepts mock, sandbox, live", () => {
    expect(contractTarget({})).toBe("mock");
    expect(contractTarget({ CONTRACT_TARGET: "" })).toBe("mock");
    expect(contractTarget({ CONTRACT_TARGET: "mock" })).toBe("mock");
    expect(contractTarget({ CONTRACT_TARGET: "sandbox" })).toBe("sandbox");
    expect(contractTarget({ CONTRACT_TARGET: " live " })).toBe("live");
  });

  it("rejects anything else with a message naming the valid targets", () => {
    expect(() => contractTarget({ CONTRACT_TARGET: "prod" })).toThrow(
      'CONTRACT_TARGET="prod" is not a contract target: use one of mock, sandbox, live',
    );
    expect(() => contractTarget({ CONTRACT_TARGET: "MOCK" })).toThrow(/not a contract target/);
  });

  it("runs a scenario under mock without any credential", () => {
    const plan = planScenario({ targets: ["mock", "live"], env: ["GITHUB_TOKEN"] }, "mock", {});
    expect(plan).toEqual({ target: "mock", run: true });
    expect(scenarioTitle("github issues", plan)).toBe("github issues [mock]");
  });

  it("skips a sandbox/live scenario whose credentials are missing, naming the variables to set", () => {
    const plan = planScenario(
      { targets: ["mock", "live"], env: ["GITHUB_TOKEN", "GITHUB_TEST_REPO"] },
      "live",
      {
        GITHUB_TEST_REPO: "acme/sandbox",
      },
    );
    expect(plan.run).toBe(false);
    expect(scenarioTitle("github issues", plan)).toBe(
      "github issues [SKIPPED: set GITHUB_TOKEN to run against CONTRACT_TARGET=live]",
    );
  });

  it("runs a sandbox/live scenario once its variables are set", () => {
    expect(
      planScenario({ targets: ["sandbox"], env: ["SLACK_BOT_TOKEN"] }, "sandbox", { SLACK_BOT_TOKEN: "x" }),
    ).toEqual({ target: "sandbox", run: true });
  });

  it("skips a scenario that does not support the target, saying which it supports", () => {
    const plan = planScenario({ targets: ["mock"] }, "sandbox", {});
    expect(plan.run).toBe(false);
    expect(plan.reason).toBe("not supported against CONTRACT_TARGET=sandbox (supports mock)");
  });
});
