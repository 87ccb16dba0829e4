import { getResponse, HttpResponse, http, type RequestHandler } from "msw";
import { underBasesRegExp } from "../routing/route-pattern.js";
import {
  type FaultFlavor,
  genericFaultFlavor,
  htmlErrorPage,
  jsonFault,
  malformedJson,
} from "./fault-flavor.js";
import type { FaultSpec } from "./fault-spec.js";
import type { UpstreamFaults } from "./upstream-faults.js";

export interface FaultHandlerOptions {
  /** The upstream's bases (as given to its handlers). */
  readonly bases: readonly string[];
  readonly faults: UpstreamFaults;
  readonly flavor?: FaultFlavor;
  /** The upstream's own handlers, for faults that damage a real response (truncated_body). */
  readonly handlers: () => readonly RequestHandler[];
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}

async function truncate(response: Response, keepFraction: number): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const kept = bytes.subarray(0, Math.min(bytes.length - 1, Math.floor(bytes.length * keepFraction)));
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.set("content-length", String(bytes.length));
  return new Response(kept.length > 0 ? kept : null, { status: response.status, headers });
}

/**
 * The first handler of every upstream: answers a request with the active fault, if one applies, and otherwise
 * returns nothing so the request falls through to the upstream's own handlers. Being a plain MSW handler, it
 * works the same under `setupServer` and behind the loopback HTTP server.
 */
export function createFaultHandler(options: FaultHandlerOptions): RequestHandler {
  const { faults } = options;
  const flavor = options.flavor ?? genericFaultFlavor;
  return http.all(underBasesRegExp(options.bases), async ({ request, params }) => {
    const rest =
      typeof params.sandboxRest === "string" && params.sandboxRest !== "" ? params.sandboxRest : "/";
    const decision = faults.decide(request.method, rest);
    if (decision === undefined) return undefined;
    if (decision.type === "throttled") {
      return withHeaders(flavor.tooManyRequests(decision.retryAfterSeconds), flavor.commonHeaders());
    }
    const spec = decision.spec;
    if (spec.kind === "connection_reset") return HttpResponse.error();
    if (spec.kind === "timeout") {
      await faults.holdUntilAborted(request.signal);
      return HttpResponse.error();
    }
    if (spec.kind === "truncated_body") {
      const real = await getResponse([...options.handlers()], request);
      const response = real ?? jsonFault(404, { message: "Not Found" });
      return truncate(response, spec.keepFraction ?? 0.5);
    }
    return withHeaders(faultResponse(spec, flavor, faults.now()), flavor.commonHeaders());
  });
}

type SimpleFault = Exclude<
  FaultSpec,
  { kind: "rate_profile" | "connection_reset" | "timeout" | "truncated_body" }
>;

function faultResponse(spec: SimpleFault, flavor: FaultFlavor, nowMs: number): Response {
  switch (spec.kind) {
    case "rate_limit_429":
      return flavor.tooManyRequests(spec.retryAfterSeconds);
    case "secondary_rate_limit":
      return flavor.secondaryRateLimit(spec.status ?? 403, spec.retryAfterSeconds);
    case "primary_rate_limit":
      return flavor.primaryRateLimit(
        spec.status ?? 403,
        Math.floor(nowMs / 1000) + (spec.resetAfterSeconds ?? 60),
      );
    case "server_error":
      return flavor.serverError(spec.status ?? 500, spec.retryAfterSeconds);
    case "malformed_json":
      return malformedJson();
    case "html_error":
      return htmlErrorPage(spec.status ?? 502);
    case "expired_credential":
      return flavor.expiredCredential();
  }
}
