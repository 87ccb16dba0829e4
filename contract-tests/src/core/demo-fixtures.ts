import type { ConnectorInstance, ConnectorRuntimeOptions } from "@switchyard/core";
import { HttpResponse } from "msw";
import { afterEach } from "vitest";
import type { FaultResolver } from "../harness/faults.js";
import { createDemoConnector, type DemoConnectorOptions, type DemoItem } from "./demo-connector.js";

/** Tiny backoff so retries take milliseconds; the policy is otherwise core's default. */
export const FAST_RETRY = { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20 } as const;

export function demoItem(id: string | number, extra: Partial<DemoItem> = {}): DemoItem {
  const key = typeof id === "number" ? `item-${String(id).padStart(3, "0")}` : id;
  return { id: key, name: `Item ${key}`, status: "open", ...extra };
}

/** 200 (or `status`) with a JSON body and optional headers. */
export function jsonAnswer(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): FaultResolver {
  return () => HttpResponse.json(body as Record<string, unknown>, init);
}

const open: ConnectorInstance[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0, open.length).map((connector) => connector.close()));
});

/**
 * A fresh demo connector (writes allowed, fast retries) closed after the test. Every test gets its own, so a
 * pause or cursor key from one test never leaks into the next.
 */
export function demoConnector(
  options: Partial<ConnectorRuntimeOptions> = {},
  extra: Omit<DemoConnectorOptions, "options"> = {},
): ConnectorInstance {
  const connector = createDemoConnector({
    ...extra,
    options: { allowWrites: true, ...options, retry: { ...FAST_RETRY, ...options.retry } },
  });
  open.push(connector);
  return connector;
}

/**
 * A GitHub-style paginated collection: `?page=&per_page=` (per_page capped at 50), `Link` with next/prev/last,
 * items `item-001`..`item-<total>` in order, `status` filtering. `pages` records each page number served.
 */
export function paginatedUpstream(total: number, path = "/items") {
  const pages: number[] = [];
  const resolver: FaultResolver = ({ request }) => {
    const url = new URL(request.url);
    const page = Number(url.searchParams.get("page") ?? "1");
    const perPage = Math.min(50, Number(url.searchParams.get("per_page") ?? "30"));
    const status = url.searchParams.get("status");
    pages.push(page);
    const all = Array.from({ length: total }, (_, index) => demoItem(index + 1)).filter(
      (item) => !status || item.status === status,
    );
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
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
      { items: all.slice((page - 1) * perPage, page * perPage) },
      { headers: links.length > 0 ? { link: links.join(", ") } : {} },
    );
  };
  return { resolver, pages, path };
}
