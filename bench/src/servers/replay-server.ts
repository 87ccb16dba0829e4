// A minimal node:http server that answers every request with a fixed, pre-encoded response per route
// (recorded once from the sandbox): no MSW, no state, no work beyond writing bytes. Runs in its own process.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serveCommands } from "../lib/child-server.js";
import type { RecordedRoute } from "../lib/recording.js";

interface Prepared {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const routes = new Map<string, Prepared>();
let requests = 0;

serveCommands<{ routes: RecordedRoute[] }>(
  async (config) => {
    const server = createServer((req, res) => {
      requests += 1;
      const path = (req.url ?? "/").split("?")[0];
      const route = routes.get(`${req.method} ${path}`);
      req.resume();
      req.once("end", () => {
        if (!route) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(`{"message":"Not Found","path":${JSON.stringify(path)}}`);
          return;
        }
        res.writeHead(route.status, route.headers);
        res.end(route.body);
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const origin = `http://127.0.0.1:${port}`;
    for (const route of config.routes) {
      const body = Buffer.from(route.body.replaceAll(route.origin, origin), "utf8");
      const headers = Object.fromEntries(
        Object.entries(route.headers).map(([name, value]) => [name, value.replaceAll(route.origin, origin)]),
      );
      headers["content-length"] = String(body.length);
      routes.set(`${route.method} ${route.path}`, { status: route.status, headers, body });
    }
    return port;
  },
  {
    requests: () => requests,
    reset: () => {
      requests = 0;
    },
  },
);
