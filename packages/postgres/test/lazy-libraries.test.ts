import { ConnectorError } from "@switchyard/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PostgresConnector } from "../src/index.js";
import { databaseUrl } from "./support/database.js";

// pg, pg-cursor and libpg-query are imported by the first call that needs them, not when the connector is
// built. Each test loads a fresh copy of the connector with the three behind mocks that count their imports,
// or fail them.
const LIBRARIES = ["pg", "pg-cursor", "libpg-query"] as const;
type Library = (typeof LIBRARIES)[number];
const imports: Record<Library, number> = { pg: 0, "pg-cursor": 0, "libpg-query": 0 };
const failing = new Set<Library>();
const open: PostgresConnector[] = [];

async function freshConnector(settings: { allowWrites?: boolean } = {}) {
  vi.resetModules();
  for (const library of LIBRARIES) {
    vi.doMock(library, async (importOriginal) => {
      imports[library] += 1;
      if (failing.has(library)) throw new Error(`Cannot find package '${library}'`);
      return await importOriginal();
    });
  }
  const { createPostgresConnector } = await import("../src/index.js");
  const instance = createPostgresConnector({
    connectionString: databaseUrl(),
    retry: { maxRetries: 0 },
    ...settings,
  });
  open.push(instance);
  return instance;
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ConnectorError.isInstance(error)).toBe(true);
  return error as ConnectorError;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
  for (const library of LIBRARIES) {
    vi.doUnmock(library);
    imports[library] = 0;
  }
  failing.clear();
});

describe("client libraries are loaded by the first call", () => {
  it("building the connector and describing its tools import none of them; the first query does, once", async () => {
    const postgres = await freshConnector();
    expect(postgres.describeTools().map((tool) => tool.name)).toContain("postgres_query");
    expect(postgres.poolStats()).toMatchObject({ total: 0, idle: 0, waiting: 0 });
    expect(imports).toEqual({ pg: 0, "pg-cursor": 0, "libpg-query": 0 });
    const { output } = await postgres.call("postgres_query", { sql: "SELECT 1 AS one" });
    expect(output).toMatchObject({ items: [{ one: 1 }] });
    await postgres.call("postgres_query", { sql: "SELECT 2 AS two" });
    expect(imports).toEqual({ pg: 1, "pg-cursor": 1, "libpg-query": 1 });
    expect(postgres.poolStats()).toMatchObject({ total: 1, idle: 1 });
  });

  it("with writes allowed, the parser loads at once (approval summaries need it) and pg still waits", async () => {
    const postgres = await freshConnector({ allowWrites: true });
    await expect.poll(() => imports["libpg-query"]).toBe(1);
    expect(imports.pg).toBe(0);
    const tool = postgres.tools.find((candidate) => candidate.name === "postgres_execute");
    await expect
      .poll(() => tool?.describeCall?.({ sql: "DELETE FROM app.t", params: [], returningLimit: 0 }))
      .toEqual({ summary: "DELETE on app.t", targets: ["app"] });
  });

  it("a driver that cannot be loaded fails the call with `internal` and a hint, and is tried again", async () => {
    failing.add("pg");
    const postgres = await freshConnector();
    const failed = await failure(postgres.call("postgres_query", { sql: "SELECT 1 AS one" }));
    expect(failed).toMatchObject({ code: "internal", fault: "connector", retryable: false });
    expect(failed.message).toMatch(/could not load pg\b/);
    expect(failed.hint).toMatch(/reinstall @switchyard\/postgres/);
    failing.clear();
    const { output } = await postgres.call("postgres_query", { sql: "SELECT 1 AS one" });
    expect(output).toMatchObject({ items: [{ one: 1 }] });
  });

  it("a parser that cannot be loaded refuses the statement with `internal` before anything runs", async () => {
    failing.add("libpg-query");
    const postgres = await freshConnector();
    const failed = await failure(postgres.call("postgres_query", { sql: "SELECT 1 AS one" }));
    expect(failed).toMatchObject({ code: "internal", retryable: false });
    expect(failed.message).toMatch(/libpg-query/);
    expect(failed.hint).toMatch(/reinstall @switchyard\/postgres/);
    // The guard failed before a connection was asked for: nothing reached the server.
    expect(imports.pg).toBe(0);
    const stream = postgres.streamQuery("SELECT 1 AS one");
    const streamFailure = await failure(
      (async () => {
        for await (const _row of stream) break;
      })(),
    );
    expect(streamFailure).toMatchObject({ code: "internal" });
  });
});
