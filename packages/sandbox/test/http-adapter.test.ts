import { HttpResponse, http } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MswHttpServer, serveMswHandlers } from "../src/index.js";

/** The low-level adapter: arbitrary MSW handlers over real loopback HTTP. */

let aborted = 0;
let releaseHeld: (() => void) | undefined;

const handlers = [
  http.get("*/json", () => HttpResponse.json({ hello: "world" }, { headers: { "x-custom": "1" } })),
  http.get("*/headers", () => {
    const headers = new Headers();
    headers.append("link", '<http://x/?page=2>; rel="next"');
    headers.append("link", '<http://x/?page=9>; rel="last"');
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; Path=/");
    return new HttpResponse("ok", { headers });
  }),
  http.post("*/echo", async ({ request }) =>
    HttpResponse.json({
      method: request.method,
      body: await request.text(),
      contentType: request.headers.get("content-type"),
      url: request.url,
    }),
  ),
  http.get("*/stream", () => {
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < 5; i++) {
          controller.enqueue(encoder.encode(`chunk-${i};`));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        controller.close();
      },
    });
    return new HttpResponse(stream, { headers: { "content-type": "text/plain" } });
  }),
  http.get("*/broken-stream", () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"partial": '));
        setTimeout(() => controller.error(new Error("boom")), 5);
      },
    });
    return new HttpResponse(stream, { headers: { "content-type": "application/json" } });
  }),
  http.get("*/short", () => new HttpResponse('{"a": 1, "b"', { headers: { "content-length": "40" } })),
  http.get("*/error", () => HttpResponse.error()),
  http.get("*/throws", () => {
    throw new Error("handler bug");
  }),
  http.get("*/hold", async ({ request }) => {
    await new Promise<void>((resolve) => {
      releaseHeld = resolve;
      request.signal.addEventListener("abort", () => {
        aborted += 1;
        resolve();
      });
    });
    return HttpResponse.error();
  }),
  http.get("*/slow/:id", async ({ params }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return HttpResponse.json({ id: params.id });
  }),
];

let server: MswHttpServer;

beforeAll(async () => {
  server = await serveMswHandlers({ handlers });
});
afterAll(async () => {
  await server.close();
});

describe("serveMswHandlers", () => {
  it("binds 127.0.0.1 on a free port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it("answers with the handler's status, headers and JSON body", async () => {
    const response = await fetch(`${server.url}/json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-custom")).toBe("1");
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ hello: "world" });
  });

  it("keeps repeated headers: both link values and each set-cookie", async () => {
    const response = await fetch(`${server.url}/headers`);
    expect(response.headers.get("link")).toBe(
      '<http://x/?page=2>; rel="next", <http://x/?page=9>; rel="last"',
    );
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("passes method, body, headers and the absolute URL the client used", async () => {
    const response = await fetch(`${server.url}/echo?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await response.json()).toEqual({
      method: "POST",
      body: '{"a":1}',
      contentType: "application/json",
      url: `${server.url}/echo?x=1`,
    });
  });

  it("streams a body", async () => {
    const response = await fetch(`${server.url}/stream`);
    expect(await response.text()).toBe("chunk-0;chunk-1;chunk-2;chunk-3;chunk-4;");
  });

  it("resets the connection for HttpResponse.error(): fetch rejects", async () => {
    await expect(fetch(`${server.url}/error`)).rejects.toThrow(TypeError);
  });

  it("breaks the connection when the body stream errors: reading the body fails", async () => {
    const response = await fetch(`${server.url}/broken-stream`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("closes the connection when the body is shorter than its content-length", async () => {
    const response = await fetch(`${server.url}/short`);
    await expect(response.text()).rejects.toThrow();
  });

  it("answers 404 JSON when no handler matches, and 500 when a handler throws", async () => {
    const missing = await fetch(`${server.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: "Not Found" });
    const failing = await fetch(`${server.url}/throws`);
    expect(failing.status).toBe(500);
    expect(await failing.json()).toMatchObject({ message: "Sandbox handler failed", detail: "handler bug" });
  });

  it("aborts request.signal when the client gives up", async () => {
    const before = aborted;
    await expect(fetch(`${server.url}/hold`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect.poll(() => aborted, { timeout: 10_000 }).toBe(before + 1);
    releaseHeld?.();
  });

  it("serves concurrent requests", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => String(i));
    const bodies = await Promise.all(ids.map(async (id) => (await fetch(`${server.url}/slow/${id}`)).json()));
    expect(bodies).toEqual(ids.map((id) => ({ id })));
  });

  it("close() ends open keep-alive connections", async () => {
    const other = await serveMswHandlers({ handlers });
    // The idle keep-alive connection may stay open ten minutes, far past the test timeout: close() settling at
    // all shows it ended the connection rather than waiting it out.
    other.server.keepAliveTimeout = 10 * 60_000;
    await (await fetch(`${other.url}/json`)).json();
    const open = await new Promise<number>((resolve, reject) =>
      other.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
    expect(open).toBe(1);
    await other.close();
    expect(other.server.listening).toBe(false);
    await expect(fetch(`${other.url}/json`)).rejects.toThrow();
  });
});
