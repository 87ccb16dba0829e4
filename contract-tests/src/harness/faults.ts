import { type DefaultBodyType, HttpResponse, type HttpResponseResolver, type PathParams } from "msw";

/**
 * Upstream failures as MSW resolvers, so every connector's scenarios can throw the same faults at their client:
 * `server.use(http.get(url, serverError(503)))`, or `sequence(serverError(503), ok)` for
 * "fails, then recovers".
 */
export type FaultResolver = HttpResponseResolver<PathParams, DefaultBodyType, any>;

type HeaderMap = Record<string, string>;

function retryAfterHeader(retryAfter: number | string | undefined): HeaderMap {
  return retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
}

export interface TooManyRequestsOptions {
  /** Seconds (number) or any raw header value (an HTTP date, garbage); omitted: no Retry-After header. */
  readonly retryAfter?: number | string;
  readonly headers?: HeaderMap;
  readonly body?: Record<string, unknown>;
}

/** 429, with or without Retry-After. */
export function tooManyRequests(options: TooManyRequestsOptions = {}): FaultResolver {
  return () =>
    HttpResponse.json(options.body ?? { message: "Too many requests" }, {
      status: 429,
      headers: { ...retryAfterHeader(options.retryAfter), ...options.headers },
    });
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.";

/** GitHub's secondary rate limit: a 403 (not a 429) whose body says so, with an optional Retry-After. */
export function secondaryRateLimit(options: { readonly retryAfter?: number | string } = {}): FaultResolver {
  return () =>
    HttpResponse.json(
      {
        message: SECONDARY_RATE_LIMIT_MESSAGE,
        documentation_url:
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      },
      { status: 403, headers: retryAfterHeader(options.retryAfter) },
    );
}

/** 500 / 502 / 503 with a JSON body. */
export function serverError(
  status: 500 | 502 | 503 = 500,
  options: { readonly retryAfter?: number | string } = {},
): FaultResolver {
  const text = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" }[status];
  return () =>
    HttpResponse.json({ message: text }, { status, headers: retryAfterHeader(options.retryAfter) });
}

/** The connection fails with no response (fetch rejects with a TypeError, like a reset socket). */
export function connectionReset(): FaultResolver {
  return () => HttpResponse.error();
}

/**
 * Never answers. The resolver waits for the request's abort signal (the client's deadline or cancellation)
 * and then ends, so no timer or pending handler outlives the test (msw's `delay("infinite")` leaves a
 * 2^31 ms timer behind).
 */
export function neverAnswers(): FaultResolver {
  return async ({ request }) => {
    await new Promise<void>((resolve) => {
      if (request.signal.aborted) resolve();
      else request.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return HttpResponse.error();
  };
}

/** 200, content-type JSON, body `{"items": [`. */
export function malformedJson(): FaultResolver {
  return () =>
    new HttpResponse('{"items": [', { status: 200, headers: { "content-type": "application/json" } });
}

/**
 * 200 whose body stops early: `content-length` announces the whole document but only the first part is
 * sent. (A fetch interceptor hands the short body over as complete, so the client sees cut-off JSON.)
 */
export function truncatedBody(
  body: unknown = {
    items: [
      { id: "1", name: "first" },
      { id: "2", name: "second" },
    ],
  },
  keepShare = 0.5,
): FaultResolver {
  const full = JSON.stringify(body);
  const sent = full.slice(0, Math.max(1, Math.floor(full.length * keepShare)));
  return () =>
    new HttpResponse(sent, {
      status: 200,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(full)) },
    });
}

/**
 * 200 whose body stream breaks mid-way, the way undici reports a socket closed during the body
 * (`TypeError: terminated`, cause `UND_ERR_SOCKET`).
 */
export function brokenStream(firstChunk = '{"items": [{"id": "1", '): FaultResolver {
  return () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(firstChunk));
        setTimeout(() => {
          const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
          controller.error(new TypeError("terminated", { cause }));
        }, 5);
      },
    });
    return new HttpResponse(stream, { status: 200, headers: { "content-type": "application/json" } });
  };
}

/** A proxy's HTML error page (default 502). */
export function htmlErrorPage(status = 502): FaultResolver {
  return () =>
    new HttpResponse(
      `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>${status} Bad Gateway</h1><hr><center>nginx</center></body></html>`,
      { status, headers: { "content-type": "text/html; charset=utf-8" } },
    );
}

/** 401 with a JSON message: the token expired (or was revoked). */
export function expiredToken(message = "Bad credentials: the access token expired"): FaultResolver {
  return () =>
    HttpResponse.json(
      { message, code: "token_expired" },
      { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } },
    );
}

/** A resolver that also says how often it answered. */
export type CountingResolver = FaultResolver & { readonly calls: number };

/**
 * Answers successive requests with successive resolvers; the last one repeats. `calls` counts the requests it
 * answered.
 */
export function sequence(...resolvers: FaultResolver[]): CountingResolver {
  if (resolvers.length === 0) throw new TypeError("sequence() needs at least one resolver.");
  let calls = 0;
  const resolver: FaultResolver = (info) => {
    const next = resolvers[Math.min(calls, resolvers.length - 1)] as FaultResolver;
    calls += 1;
    return next(info);
  };
  return Object.defineProperty(resolver, "calls", { get: () => calls, enumerable: true }) as CountingResolver;
}

/** Wraps a resolver to count its calls and remember when each request arrived (epoch ms). */
export function recorded(resolver: FaultResolver): CountingResolver & { readonly arrivals: number[] } {
  const arrivals: number[] = [];
  const wrapped: FaultResolver = (info) => {
    arrivals.push(Date.now());
    return resolver(info);
  };
  Object.defineProperty(wrapped, "calls", { get: () => arrivals.length, enumerable: true });
  Object.defineProperty(wrapped, "arrivals", { value: arrivals, enumerable: true });
  return wrapped as CountingResolver & { readonly arrivals: number[] };
}
