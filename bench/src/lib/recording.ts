import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One upstream answer, recorded once and then replayed byte for byte by the fixed server. */
export interface RecordedRoute {
  readonly method: string;
  /** Path below the origin, without the query. */
  readonly path: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The origin the recording was made against; the replay swaps in its own. */
  readonly origin: string;
}

/** Headers worth replaying: what clients read (content type, paging, request ids, rate-limit budgets). */
const KEPT_HEADERS =
  /^(content-type|link|x-github-request-id|x-ratelimit-.*|x-oauth-scopes|x-accepted-oauth-scopes|x-slack-req-id|retry-after)$/i;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Puts a recording proxy in front of `upstream` (an origin plus a mount path, such as the sandbox's
 * `http://127.0.0.1:PORT/github`), runs `exercise` with the proxy's equivalent URL, and returns every
 * exchange it saw. The last answer per method and path wins.
 */
export async function recordExchanges(
  upstream: string,
  exercise: (proxyUrl: string) => Promise<void>,
): Promise<RecordedRoute[]> {
  const target = new URL(upstream);
  const recorded = new Map<string, RecordedRoute>();
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const forwarded = await fetch(new URL(req.url ?? "/", target.origin), {
        method: req.method ?? "GET",
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(
            (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "host",
          ),
        ),
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await forwarded.text();
      const headers: Record<string, string> = {};
      forwarded.headers.forEach((value, name) => {
        if (KEPT_HEADERS.test(name)) headers[name] = value;
      });
      const path = (req.url ?? "/").split("?")[0] as string;
      const proxyOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const route: RecordedRoute = {
        method: req.method ?? "GET",
        path,
        status: forwarded.status,
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, value]) => [
            name,
            value.replaceAll(target.origin, proxyOrigin),
          ]),
        ),
        body: text.replaceAll(target.origin, proxyOrigin),
        origin: proxyOrigin,
      };
      recorded.set(`${route.method} ${route.path}`, route);
      res.writeHead(route.status, route.headers);
      res.end(route.body);
    } catch (error) {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    await exercise(`http://127.0.0.1:${port}${target.pathname.replace(/\/$/, "")}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return [...recorded.values()];
}
