// A loopback GitHub stub with one repository of N issues, paginated the way GitHub does it (per_page up to
// 100, `page`, a Link header with absolute next/last URLs). Issues are stamped from one recorded sandbox
// issue, so they pass the connector's wire schema. Runs in its own process.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serveCommands } from "../lib/child-server.js";

export interface IssuesServerConfig {
  /** One issue as GitHub returns it (JSON object). */
  readonly template: Record<string, unknown>;
  readonly issues: number;
}

let served = 0;

serveCommands<IssuesServerConfig>(
  async (config) => {
    const server = createServer((req, res) => {
      req.resume();
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (url.pathname !== "/github/repos/acme/big/issues") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"message":"Not Found"}');
        return;
      }
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
      const last = Math.ceil(config.issues / perPage);
      const first = (page - 1) * perPage;
      const items = [];
      for (let index = first; index < Math.min(config.issues, first + perPage); index += 1) {
        const number = config.issues - index;
        items.push({
          ...config.template,
          id: 1_000_000 + number,
          node_id: `I_kwBench${number}`,
          number,
          title: `Issue ${number}: something to look at in the ${number % 7 === 0 ? "parser" : "scheduler"}`,
          url: `${origin}/github/repos/acme/big/issues/${number}`,
          html_url: `https://github.com/acme/big/issues/${number}`,
        });
      }
      const link = (at: number) => {
        const next = new URL(url);
        next.searchParams.set("page", String(at));
        next.searchParams.set("per_page", String(perPage));
        return `${origin}${next.pathname}${next.search}`;
      };
      const links = [
        ...(page < last ? [`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`] : []),
        ...(page > 1 ? [`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`] : []),
      ];
      const body = JSON.stringify(items);
      served += 1;
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
        ...(links.length > 0 ? { link: links.join(", ") } : {}),
      });
      res.end(body);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  },
  { requests: () => served },
);
