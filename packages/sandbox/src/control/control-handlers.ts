import { http, type RequestHandler } from "msw";
import { type FaultSpec, FaultSpecError, parseFaultSpec } from "../faults/fault-spec.js";
import type { SandboxFaults } from "../faults/sandbox-faults.js";
import { routeRegExp } from "../routing/route-pattern.js";

/**
 * The sandbox's HTTP control surface, so a spawned process (the CLI, a benchmark) can be driven from outside:
 *
 * - `GET /__sandbox/health`: `{ ok: true, upstreams }`
 * - `GET /__sandbox/state`: each upstream's URL, state summary and active faults
 * - `POST /__sandbox/faults`: `{ upstream, fault }` or `{ upstream, faults: [...], replace?: true }`; 201 with the
 *   upstream's active faults; 400 for an invalid fault, 404 for an unknown upstream
 * - `DELETE /__sandbox/faults[?upstream=name]`: clears one upstream's faults, or all
 * - `POST /__sandbox/reset[?upstream=name]`: re-seeds data, forgets rate-limit counts and clears faults
 */

export interface ControlTarget {
  readonly faults: SandboxFaults;
  readonly upstreams: readonly string[];
  state(): Record<string, unknown>;
  reset(upstream?: string): void;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

const ANY = [""];

function upstreamParam(request: Request, target: ControlTarget): string | undefined | Response {
  const name = new URL(request.url).searchParams.get("upstream");
  if (name === null || name === "") return undefined;
  return target.upstreams.includes(name)
    ? name
    : json(404, { message: `Unknown upstream "${name}"`, upstreams: target.upstreams });
}

async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text();
  try {
    const value: unknown = text.trim() === "" ? {} : JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return json(400, { message: "The body must be a JSON object." });
}

export function createControlHandlers(target: ControlTarget): RequestHandler[] {
  return [
    http.get(routeRegExp(ANY, "/__sandbox/health"), () =>
      json(200, { ok: true, upstreams: target.upstreams }),
    ),
    http.get(routeRegExp(ANY, "/__sandbox/state"), () => json(200, target.state())),
    http.post(routeRegExp(ANY, "/__sandbox/faults"), async ({ request }) => {
      const body = await readJson(request);
      if (body instanceof Response) return body;
      const upstream = body.upstream;
      if (typeof upstream !== "string" || !target.upstreams.includes(upstream)) {
        return json(404, {
          message: `Unknown upstream ${JSON.stringify(upstream)}`,
          upstreams: target.upstreams,
        });
      }
      const raw = body.faults ?? (body.fault === undefined ? undefined : [body.fault]);
      if (!Array.isArray(raw) || raw.length === 0) {
        return json(400, { message: 'Give "fault": {...} or "faults": [{...}, ...].' });
      }
      let specs: FaultSpec[];
      try {
        specs = raw.map(parseFaultSpec);
      } catch (error) {
        if (error instanceof FaultSpecError) return json(400, { message: error.message });
        throw error;
      }
      if (body.replace === true) target.faults.set(upstream, specs);
      else for (const spec of specs) target.faults.add(upstream, spec);
      return json(201, { upstream, faults: target.faults.list(upstream) });
    }),
    http.delete(routeRegExp(ANY, "/__sandbox/faults"), ({ request }) => {
      const upstream = upstreamParam(request, target);
      if (upstream instanceof Response) return upstream;
      target.faults.clear(upstream);
      return json(200, { cleared: upstream === undefined ? target.upstreams : [upstream] });
    }),
    http.post(routeRegExp(ANY, "/__sandbox/reset"), ({ request }) => {
      const upstream = upstreamParam(request, target);
      if (upstream instanceof Response) return upstream;
      target.reset(upstream);
      return json(200, { reset: upstream === undefined ? target.upstreams : [upstream] });
    }),
  ];
}
