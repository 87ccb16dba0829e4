import dns from "node:dns";
import http from "node:http";
import net from "node:net";
import { isLoopbackHost, takeNetworkAttempts } from "@switchyard/core/testing";
import { expect, it } from "vitest";
import { createDemoConnector } from "../core/demo-connector.js";
import { expectConnectorError } from "./expect-error.js";
import { takeUnhandledRequests } from "./msw-server.js";
import { assertSandboxIntact } from "./sandbox-check.js";
import { describeForTargets } from "./target.js";

/** Waits for a socket to connect or fail; resolves with the error, if any. */
function settle(socket: net.Socket): Promise<Error | undefined> {
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("error", (error) => resolve(error));
  });
}

describeForTargets("harness: nothing reaches the network", { targets: ["mock"] }, () => {
  it("fetch to an unmocked external host is refused by MSW and no socket is opened", async () => {
    await expect(fetch("https://unmocked.example.com/anything")).rejects.toThrow();

    expect(takeUnhandledRequests()).toEqual([
      { method: "GET", url: "https://unmocked.example.com/anything" },
    ]);
    expect(takeNetworkAttempts()).toEqual([]);
  });

  it("a connector pointed at an unmocked host fails with a typed error, and nothing reached the network", async () => {
    const connector = createDemoConnector({
      baseUrl: "https://api.unmocked.example.com",
      options: { retry: { maxRetries: 0 } },
    });
    try {
      await expectConnectorError(connector.call("demo_get_item", { id: "a1" }), "network");
    } finally {
      await connector.close();
    }

    expect(takeUnhandledRequests()).toEqual([
      { method: "GET", url: "https://api.unmocked.example.com/items/a1" },
    ]);
    expect(takeNetworkAttempts()).toEqual([]);
  });

  it("node:http to an unmocked host (axios, AWS SDK) is refused too", async () => {
    const error = await new Promise<Error | undefined>((resolve) => {
      const request = http.get("http://unmocked.example.com/x", (response) => {
        response.resume();
        resolve(undefined);
      });
      request.on("error", resolve);
    });

    expect(error).toBeInstanceOf(Error);
    expect(takeUnhandledRequests()).toEqual([{ method: "GET", url: "http://unmocked.example.com/x" }]);
    expect(takeNetworkAttempts()).toEqual([]);
  });

  it("records and blocks a raw socket or DNS lookup to a non-loopback host", async () => {
    // 192.0.2.0/24 is TEST-NET-1: even if the guard failed, nothing would answer.
    const socketError = await settle(net.connect({ host: "192.0.2.1", port: 443 }));
    const lookupError = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      dns.lookup("example.com", (error) => resolve(error)),
    );

    expect(socketError?.message).toContain("network guard");
    expect(lookupError?.message).toContain("network guard");
    expect(takeNetworkAttempts()).toEqual([
      { kind: "connect", target: "192.0.2.1:443" },
      { kind: "dns", target: "example.com" },
    ]);
  });

  it("allows loopback: a local server on 127.0.0.1 is reachable", async () => {
    const local = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.end();
    });
    await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = local.address() as net.AddressInfo;
      expect(await settle(net.connect({ host: "127.0.0.1", port }))).toBeUndefined();
      expect(await settle(net.connect(port, "localhost"))).toBeUndefined();
    } finally {
      await new Promise((resolve) => local.close(resolve));
    }
    expect(takeNetworkAttempts()).toEqual([]);
  });

  it("classifies loopback hosts", () => {
    for (const host of [
      "localhost",
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
      undefined,
    ]) {
      expect(isLoopbackHost(host), String(host)).toBe(true);
    }
    for (const host of [
      "example.com",
      "10.0.0.1",
      "169.254.169.254",
      "::2",
      "128.0.0.1",
      "localhost.example.com",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("the after-each check fails a test that left the sandbox, naming what it tried", async () => {
    await fetch("https://leak.example.com/x").catch(() => {});
    await new Promise<Error | undefined>((resolve) => {
      const socket = net.connect({ host: "203.0.113.7", port: 80 });
      socket.once("error", resolve);
    });

    expect(() => assertSandboxIntact()).toThrow(
      "The test left the sandbox:\n  real network connect 203.0.113.7:80\n  unhandled request GET https://leak.example.com/x",
    );
    // The check cleared the records: this test itself ends clean.
    expect(() => assertSandboxIntact()).not.toThrow();
  });
});
