// A loopback upstream that lets N requests per second through (sliding one-second window, the semantics of the
// sandbox's `rate_profile` fault) and answers the rest 429 with Retry-After, worded as GitHub's secondary rate
// limit so every GitHub client recognises it. It records every arrival, so it can say how many requests any
// one-second window saw. Runs in its own process.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { serveCommands } from "../lib/child-server.js";

export interface RateLimitedServerConfig {
  readonly requestsPerSecond: number;
  /** The 200 answer's body (JSON text). */
  readonly body: string;
}

export interface RateWindowStats {
  readonly arrivals: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Most arrivals (accepted or not) in any sliding one-second window. */
  readonly maxArrivalsPerSlidingSecond: number;
  /** Most accepted requests in any sliding one-second window (at most the limit, by construction). */
  readonly maxAcceptedPerSlidingSecond: number;
  /** Most arrivals in any sliding 100 ms: paced at the limit it is about a tenth of it; more is a burst. */
  readonly maxArrivalsPer100Ms: number;
  /** Same, counting only arrivals before the first 429 (the client's own pace, before any pause). */
  readonly maxArrivalsPer100MsBeforeFirst429: number;
  /** When the first 429 was sent, ms after the reset; undefined without one. */
  readonly firstRejectionMs: number | undefined;
  /** Arrivals per whole second since the reset. */
  readonly arrivalsPerSecond: readonly number[];
  /** First to last accepted request, ms. */
  readonly acceptedSpanMs: number;
}

const WINDOW_MS = 1000;
let limit = 100;
let body = Buffer.from("{}");
let window: number[] = [];
let arrivals: number[] = [];
let accepted: number[] = [];
let rejected = 0;
let firstRejection: number | undefined;
let origin = performance.now();

function maxInWindow(times: readonly number[], windowMs = WINDOW_MS): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

serveCommands<RateLimitedServerConfig>(
  async (config) => {
    limit = config.requestsPerSecond;
    body = Buffer.from(config.body, "utf8");
    const server = createServer((req, res) => {
      const now = performance.now();
      arrivals.push(now);
      while (window.length > 0 && (window[0] as number) <= now - WINDOW_MS) window.shift();
      req.resume();
      if (window.length < limit) {
        window.push(now);
        accepted.push(now);
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "content-length": body.length,
        });
        res.end(body);
        return;
      }
      rejected += 1;
      firstRejection ??= now;
      const retryAfter = Math.max(1, Math.ceil(((window[0] as number) + WINDOW_MS - now) / 1000));
      const message = JSON.stringify({
        message:
          "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        documentation_url: "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
        status: "429",
      });
      res.writeHead(429, {
        "content-type": "application/json; charset=utf-8",
        "retry-after": String(retryAfter),
        "content-length": Buffer.byteLength(message),
      });
      res.end(message);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  },
  {
    reset: () => {
      window = [];
      arrivals = [];
      accepted = [];
      rejected = 0;
      firstRejection = undefined;
      origin = performance.now();
    },
    stats: (): RateWindowStats => {
      const perSecond: number[] = [];
      for (const at of arrivals) {
        const second = Math.floor((at - origin) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
      }
      return {
        arrivals: arrivals.length,
        accepted: accepted.length,
        rejected,
        maxArrivalsPerSlidingSecond: maxInWindow(arrivals),
        maxAcceptedPerSlidingSecond: maxInWindow(accepted),
        maxArrivalsPer100Ms: maxInWindow(arrivals, 100),
        maxArrivalsPer100MsBeforeFirst429: maxInWindow(
          firstRejection === undefined ? arrivals : arrivals.filter((at) => at < (firstRejection as number)),
          100,
        ),
        firstRejectionMs: firstRejection === undefined ? undefined : firstRejection - origin,
        arrivalsPerSecond: Array.from(perSecond, (count) => count ?? 0),
        acceptedSpanMs: accepted.length > 1 ? (accepted.at(-1) as number) - (accepted[0] as number) : 0,
      };
    },
  },
);
