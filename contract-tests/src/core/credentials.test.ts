import { type Credential, refreshingCredentials } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { expect, it } from "vitest";
import { expectConnectorError } from "../harness/expect-error.js";
import { expiredToken, sequence } from "../harness/faults.js";
import { server } from "../harness/msw-server.js";
import { describeForTargets } from "../harness/target.js";
import { DEMO_API, DEMO_AUTH } from "./demo-connector.js";
import { demoConnector, demoItem } from "./demo-fixtures.js";

const ITEM_URL = `${DEMO_API}/items/:id`;
const TOKEN_URL = `${DEMO_AUTH}/token`;

/** An OAuth-style token endpoint handing out `tokens` in turn (the last repeats), counting the exchanges. */
function tokenEndpoint(tokens: (index: number) => string) {
  let calls = 0;
  server.use(
    http.post(TOKEN_URL, () => {
      const token = tokens(calls);
      calls += 1;
      return HttpResponse.json({ access_token: token, token_type: "Bearer", expires_in: 3600 });
    }),
  );
  return {
    get calls() {
      return calls;
    },
  };
}

/** A credential provider whose refresh calls the MSW token endpoint, as a real connector's would. */
function oauthCredentials() {
  return refreshingCredentials({
    description: "the demo OAuth client (DEMO_CLIENT_ID / DEMO_CLIENT_SECRET)",
    async refresh(signal): Promise<Credential> {
      const response = await fetch(TOKEN_URL, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "client_credentials" }),
        ...(signal ? { signal } : {}),
      });
      const body = (await response.json()) as { access_token: string; expires_in: number };
      return { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    },
  });
}

/** Upstream that accepts only `valid(token)`; counts every request and the rejected ones. */
function protectedUpstream(valid: (token: string) => boolean) {
  const counts = { requests: 0, rejected: 0 };
  server.use(
    http.get(ITEM_URL, (info) => {
      counts.requests += 1;
      const token = info.request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      if (!valid(token)) {
        counts.rejected += 1;
        return expiredToken()(info);
      }
      return HttpResponse.json(demoItem(String(info.params.id)));
    }),
  );
  return counts;
}

describeForTargets("core credentials over HTTP", { targets: ["mock"] }, () => {
  it("100 concurrent calls whose token expired share exactly one refresh, and all succeed", async () => {
    const tokens = tokenEndpoint((index) => (index === 0 ? "token-old" : `token-new-${index}`));
    const upstream = protectedUpstream((token) => token.startsWith("token-new-"));
    const credentials = oauthCredentials();
    // The connector starts with the (soon rejected) token it already holds.
    expect((await credentials.get()).value).toBe("token-old");
    expect(tokens.calls).toBe(1);
    const connector = demoConnector({}, { credentials });

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => connector.call("demo_get_item", { id: `i${index}` })),
    );

    expect(tokens.calls - 1).toBe(1); // exactly one refresh
    expect(results).toHaveLength(100);
    for (const [index, result] of results.entries()) {
      expect(result.output).toEqual({ item: demoItem(`i${index}`) });
      expect(result.metadata.credentialRefreshed).toBe(true);
    }
    expect(upstream.requests - upstream.rejected).toBe(100);
  });

  it("a credential that stays rejected ends with unauthenticated after one refresh per call, not a loop", async () => {
    const tokens = tokenEndpoint((index) => `token-${index}`);
    const upstream = protectedUpstream(() => false);
    const connector = demoConnector({}, { credentials: oauthCredentials() });

    for (let call = 1; call <= 3; call += 1) {
      const error = await expectConnectorError(
        connector.call("demo_get_item", { id: "a1" }),
        "unauthenticated",
      );
      expect(error.retryable).toBe(false);
      expect(error.upstream?.status).toBe(401);
      // One initial token, then one refresh per failed call.
      expect(tokens.calls).toBe(call + 1);
      expect(upstream.requests).toBe(call * 2);
    }
  });

  it("the expired-token fault maps to unauthenticated with the upstream's message", async () => {
    const upstream = sequence(expiredToken("token expired at 12:00"));
    server.use(http.get(ITEM_URL, upstream));

    const error = await expectConnectorError(
      demoConnector().call("demo_get_item", { id: "a1" }),
      "unauthenticated",
    );

    expect(error.message).toContain("token expired at 12:00");
    expect(error.upstream).toMatchObject({ status: 401, code: "token_expired" });
    expect(error.notApplied).toBe(true);
    // A static credential cannot be refreshed: at most the one repeat the pipeline allows per call.
    expect(upstream.calls).toBeLessThanOrEqual(2);
  });
});
