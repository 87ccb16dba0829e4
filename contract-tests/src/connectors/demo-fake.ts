import {
  createFaultHandler,
  genericFaultFlavor,
  type SandboxUpstream,
  type UpstreamFaults,
} from "@switchyard/sandbox";
import { HttpResponse, http, type RequestHandler } from "msw";
import { DEMO_MAX_PAGE_SIZE, DEMO_STATIC_TOKEN, type DemoItem } from "../core/demo-connector.js";

/**
 * The demo upstream (`https://api.demo.test`) as a stateful fake in the sandbox's shape (a `SandboxUpstream`):
 * the same MSW handlers answer in-process under `mock` and over loopback HTTP under `sandbox`
 * (`serveMswHandlers`), with the sandbox's switchable faults in front. The demo connector is core's
 * reference connector, so the fault matrix runs it next to the real ones.
 *
 * - `GET /items/:id`, `GET /items?page&per_page&status` and `GET /archive/items` with GitHub-style `Link`
 *   headers (`per_page` capped at 50), `POST /items` (201, a new id each time), `PUT /items/:id` (upsert);
 * - `Authorization: Bearer <DEMO_STATIC_TOKEN>` or 401;
 * - seeded: `item-001` … `item-120` (every third one closed) and ten archived items.
 */

export const DEMO_SEEDED_ITEMS = 120;
export const DEMO_ARCHIVED_ITEMS = 10;

export class DemoFakeState {
  readonly items = new Map<string, DemoItem>();
  readonly archived: DemoItem[] = [];
  created = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.items.clear();
    this.archived.length = 0;
    this.created = 0;
    for (let index = 1; index <= DEMO_SEEDED_ITEMS; index += 1) {
      const id = `item-${String(index).padStart(3, "0")}`;
      this.items.set(id, { id, name: `Item ${id}`, status: index % 3 === 0 ? "closed" : "open" });
    }
    for (let index = 1; index <= DEMO_ARCHIVED_ITEMS; index += 1) {
      const id = `archived-${String(index).padStart(3, "0")}`;
      this.archived.push({ id, name: `Archived ${id}`, status: "closed" });
    }
  }

  summary() {
    return { items: this.items.size, archived: this.archived.length, created: this.created };
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `https://api.demo.test` matches that origin; a path (`/demo`, or `""` for the root) matches it on any origin
 * (loopback). The demo connector resolves absolute paths against its base, so over HTTP it sits at the root.
 */
function baseSource(base: string): string {
  return base === "" || base.startsWith("/") ? `[a-z]+://[^/?#]+${escapeRegExp(base)}` : escapeRegExp(base);
}

function route(base: string, path: string): RegExp {
  return new RegExp(`^${baseSource(base)}${path}$`);
}

function unauthorized(request: Request): Response | undefined {
  if (request.headers.get("authorization") === `Bearer ${DEMO_STATIC_TOKEN}`) return undefined;
  return HttpResponse.json({ message: "Bad credentials", code: "bad_credentials" }, { status: 401 });
}

const requestIds = () => {
  let next = 0;
  return () => {
    next += 1;
    return { "x-request-id": `demo-${String(next).padStart(6, "0")}` };
  };
};

function listAnswer(request: Request, all: readonly DemoItem[], headers: Record<string, string>): Response {
  const url = new URL(request.url);
  const page = Math.max(1, Number(url.searchParams.get("page") ?? "1") || 1);
  const perPage = Math.min(DEMO_MAX_PAGE_SIZE, Math.max(1, Number(url.searchParams.get("per_page") ?? "30")));
  const status = url.searchParams.get("status");
  const matching = all.filter((item) => !status || item.status === status);
  const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
  const link = (target: number, rel: string) => {
    const next = new URL(url);
    next.searchParams.set("page", String(target));
    return `<${next.href}>; rel="${rel}"`;
  };
  const links = [
    ...(page < lastPage ? [link(page + 1, "next"), link(lastPage, "last")] : []),
    ...(page > 1 ? [link(page - 1, "prev"), link(1, "first")] : []),
  ];
  return HttpResponse.json(
    { items: matching.slice((page - 1) * perPage, page * perPage) },
    { headers: { ...headers, ...(links.length > 0 ? { link: links.join(", ") } : {}) } },
  );
}

function demoHandlers(base: string, state: DemoFakeState, faults: UpstreamFaults): RequestHandler[] {
  const ids = requestIds();
  const api: RequestHandler[] = [
    http.get(route(base, "/items"), ({ request }) => {
      const headers = ids();
      return unauthorized(request) ?? listAnswer(request, [...state.items.values()], headers);
    }),
    http.get(route(base, "/archive/items"), ({ request }) => {
      const headers = ids();
      return unauthorized(request) ?? listAnswer(request, state.archived, headers);
    }),
    http.get(route(base, "/items/(?<id>[^/?#]+)"), ({ request, params }) => {
      const headers = ids();
      const denied = unauthorized(request);
      if (denied) return denied;
      const item = state.items.get(decodeURIComponent(String(params.id)));
      return item
        ? HttpResponse.json(item, { headers })
        : HttpResponse.json({ message: "No such item", code: "not_found" }, { status: 404, headers });
    }),
    http.post(route(base, "/items"), async ({ request }) => {
      const headers = ids();
      const denied = unauthorized(request);
      if (denied) return denied;
      const body = (await request.json().catch(() => undefined)) as Partial<DemoItem> | undefined;
      if (!body || typeof body.name !== "string" || body.name === "") {
        return HttpResponse.json({ message: "name is required", code: "invalid" }, { status: 422, headers });
      }
      state.created += 1;
      const id = `new-${String(state.created).padStart(4, "0")}`;
      const item: DemoItem = {
        id,
        name: body.name,
        status: "open",
        ...(typeof body.description === "string" ? { description: body.description } : {}),
      };
      state.items.set(id, item);
      return HttpResponse.json(item, { status: 201, headers });
    }),
    http.put(route(base, "/items/(?<id>[^/?#]+)"), async ({ request, params }) => {
      const headers = ids();
      const denied = unauthorized(request);
      if (denied) return denied;
      const id = decodeURIComponent(String(params.id));
      const body = (await request.json().catch(() => undefined)) as Partial<DemoItem> | undefined;
      if (!body || typeof body.name !== "string" || body.name === "") {
        return HttpResponse.json({ message: "name is required", code: "invalid" }, { status: 422, headers });
      }
      const item: DemoItem = {
        id,
        name: body.name,
        status: state.items.get(id)?.status ?? "open",
        ...(typeof body.description === "string" ? { description: body.description } : {}),
      };
      state.items.set(id, item);
      return HttpResponse.json(item, { headers });
    }),
  ];
  const notFound = http.all(new RegExp(`^${baseSource(base)}(/.*)?$`), () =>
    HttpResponse.json({ message: "Not Found", code: "not_found" }, { status: 404 }),
  );
  return [
    createFaultHandler({ bases: [base], faults, flavor: genericFaultFlavor, handlers: () => api }),
    ...api,
    notFound,
  ];
}

/** The demo fake as a sandbox upstream: `create({ mountPath })` answers under that base (URL or path). */
export const demoUpstream: SandboxUpstream<undefined, DemoFakeState> = {
  name: "demo",
  create({ mountPath, faults }) {
    const state = new DemoFakeState();
    return {
      handlers: demoHandlers(mountPath.replace(/\/+$/, ""), state, faults),
      state,
      summary: () => state.summary(),
      env: (url) => ({ DEMO_API_URL: url, DEMO_TOKEN: DEMO_STATIC_TOKEN }),
      reset: () => state.reset(),
    };
  },
};
