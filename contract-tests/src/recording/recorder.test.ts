import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeForTargets } from "../harness/target.js";
import {
  beginRecording,
  captureExchange,
  endRecording,
  readRecordings,
  recordModeRequested,
  startRecorder,
  stopRecorder,
  takeExchanges,
  toRecordings,
  writeRecordings,
} from "./recorder.js";
import { createScrubber } from "./scrub.js";

const BASE = "https://api.recording.test";

describeForTargets("record mode", { targets: ["mock", "sandbox"] }, () => {
  afterEach(async () => {
    endRecording();
    await takeExchanges();
  });

  it("is requested with CONTRACT_RECORD=1 (or true/yes)", () => {
    expect(recordModeRequested({ CONTRACT_RECORD: "1" })).toBe(true);
    expect(recordModeRequested({ CONTRACT_RECORD: "true" })).toBe(true);
    expect(recordModeRequested({ CONTRACT_RECORD: "0" })).toBe(false);
    expect(recordModeRequested({})).toBe(false);
  });

  it("captures only scoped requests to the scope's upstream, keeping allowlisted headers only", async () => {
    const answer = () =>
      new Response(JSON.stringify({ full_name: "octo-dev/widgets", owner: { login: "octo-dev" } }), {
        headers: {
          "content-type": "application/json",
          "x-ratelimit-remaining": "4999",
          "set-cookie": "session=abc",
        },
      });
    captureExchange(new Request(`${BASE}/repos/octo-dev/widgets`), answer()); // outside any scope
    beginRecording({ upstream: "github", tool: "github_get_repository", scenario: "reads", baseUrl: BASE });
    captureExchange(new Request(`${BASE}/repos/octo-dev/widgets`), answer());
    captureExchange(new Request("https://elsewhere.test/x"), answer()); // another host
    endRecording();

    const exchanges = await takeExchanges();
    expect(exchanges).toHaveLength(1);
    const [recording] = toRecordings(exchanges, createScrubber(), "2026-01-01T00:00:00.000Z");
    expect(recording).toEqual({
      upstream: "github",
      tool: "github_get_repository",
      scenario: "reads",
      recordedAt: "2026-01-01T00:00:00.000Z",
      request: { method: "GET", path: "/repos/user-1/widgets" },
      response: {
        status: 200,
        // Only the allowlisted headers: no cookie.
        headers: { "content-type": "application/json", "x-ratelimit-remaining": "4999" },
        body: { full_name: "user-1/widgets", owner: { login: "user-1" } },
      },
    });
  });

  it("writes one file per request under <upstream>/<tool>/, replacing what the tool had, and reads them back", () => {
    const dir = mkdtempSync(join(tmpdir(), "recordings-"));
    try {
      const scope = { upstream: "github", tool: "github_list_issues", scenario: "lists", baseUrl: BASE };
      const raw = [1, 2].map((index) => ({
        scope,
        index,
        method: "GET",
        path: `/repos/acme/api/issues?page=${index}`,
        requestBody: undefined,
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify([
          { number: index, title: "t", user: { login: "octo-dev", email: "o@example.com" } },
        ]),
      }));
      writeRecordings(toRecordings([...raw, ...raw], createScrubber(), "now"), dir);
      // A second run that saw fewer requests leaves no stale file behind.
      const written = writeRecordings(toRecordings(raw, createScrubber(), "now"), dir);
      expect(written.map((file) => file.slice(dir.length))).toEqual([
        "/github/github_list_issues/01.json",
        "/github/github_list_issues/02.json",
      ]);
      expect(readdirSync(join(dir, "github", "github_list_issues"))).toEqual(["01.json", "02.json"]);
      const read = readRecordings(dir);
      expect(read.map((entry) => entry.recording.request.path)).toEqual([
        "/repos/acme/api/issues?page=1",
        "/repos/acme/api/issues?page=2",
      ]);
      expect(read[0]?.recording.response.body).toEqual([
        { number: 1, title: "t", user: { login: "user-1", email: "person-1@example.invalid" } },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The real capture path: MSW in pass-through mode in front of a loopback server, for fetch and node:http. Only
// where the worker's own MSW server is not listening (sandbox; live uses it in record mode).
describeForTargets("record mode over real HTTP", { targets: ["sandbox"] }, () => {
  it("records fetch and node:http answers while the caller still reads its own copy", async () => {
    const upstream = http.createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ path: request.url, user: { login: "octo-dev" } }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api`;
    startRecorder();
    try {
      beginRecording({ upstream: "local", tool: "local_tool", scenario: "reads", baseUrl: base });
      const viaFetch = await (await fetch(`${base}/one`)).json();
      const viaHttp = await new Promise<string>((resolve, reject) => {
        // Through the module object, as axios calls it (a named import would bypass MSW's patch).
        http
          .get(`${base}/two`, (response) => {
            let text = "";
            response.on("data", (chunk: Buffer) => {
              text += chunk.toString();
            });
            response.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      endRecording();
      expect(viaFetch).toEqual({ path: "/api/one", user: { login: "octo-dev" } });
      expect(JSON.parse(viaHttp)).toEqual({ path: "/api/two", user: { login: "octo-dev" } });
      const recordings = toRecordings(await takeExchanges(), createScrubber(), "now");
      expect(recordings.map((recording) => [recording.request.path, recording.response.body])).toEqual([
        ["/one", { path: "/api/one", user: { login: "user-1" } }],
        ["/two", { path: "/api/two", user: { login: "user-1" } }],
      ]);
    } finally {
      endRecording();
      stopRecorder();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
