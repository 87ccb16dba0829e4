import { describe, expect, it } from "vitest";
import { ConnectorError, createConnector, fromEnv, fromValue } from "../src/index.js";

const base = { id: "probe", title: "Probe", tools: [], buckets: {}, client: () => "client" as const };

describe("diagnose", () => {
  it("reports identity, scopes and budget from the connector's probe", async () => {
    const connector = createConnector({
      ...base,
      credentials: fromValue("doctor-secret-value"),
      probe: async ({ client, credential }) => {
        expect(client).toBe("client");
        expect(credential?.value).toBe("doctor-secret-value");
        return { identity: "octocat", scopes: ["repo"], rateLimit: { remaining: 4999, limit: 5000 } };
      },
    });
    const report = await connector.diagnose();
    expect(report).toMatchObject({
      connector: "probe",
      credentialsFound: true,
      reachable: true,
      identity: "octocat",
      scopes: ["repo"],
      problems: [],
    });
    expect(JSON.stringify(report)).not.toContain("doctor-secret-value");
  });

  it("names the variable to set when the credential is missing", async () => {
    const connector = createConnector({
      ...base,
      credentials: fromEnv({ variable: "PROBE_TOKEN", setting: "probe.token", env: {} }),
      probe: async () => ({}),
    });
    const report = await connector.diagnose();
    expect(report.credentialsFound).toBe(false);
    expect(report.problems[0]?.fix).toContain("PROBE_TOKEN");
  });

  it("tells a rejected credential from an unreachable upstream, and never hangs", async () => {
    const rejected = createConnector({
      ...base,
      credentials: fromValue("doctor-secret-value"),
      probe: async () => {
        throw new ConnectorError({ code: "unauthenticated", message: "Bad credentials" });
      },
    });
    const rejectedReport = await rejected.diagnose();
    expect(rejectedReport).toMatchObject({ reachable: true, credentialsFound: true });
    expect(rejectedReport.problems[0]?.fix).toMatch(/renew/);

    const hanging = createConnector({ ...base, probe: () => new Promise(() => {}) });
    const hangingReport = await hanging.diagnose({ deadlineMs: 50 });
    expect(hangingReport.reachable).toBe(false);
    expect(hangingReport.problems[0]?.message).toMatch(/deadline/);
  });
});
