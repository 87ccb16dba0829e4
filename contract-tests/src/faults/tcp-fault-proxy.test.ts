import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeForTargets } from "../harness/target.js";
import { TcpFaultProxy } from "./tcp-fault-proxy.js";

// The PostgreSQL fault proxy on its own, with a bare pg client that listens for its errors: statements are
// counted, faults hit matching statements only.
const LOCAL = new URL(process.env.DATABASE_URL?.trim() || "postgres://postgres@127.0.0.1:5432/postgres");

describeForTargets("PostgreSQL TCP fault proxy", { targets: ["mock"] }, () => {
  const proxy = new TcpFaultProxy({ host: LOCAL.hostname, port: Number(LOCAL.port || 5432) });
  let url = "";
  beforeAll(async () => {
    const address = await proxy.start();
    const target = new URL(LOCAL);
    target.hostname = address.host;
    target.port = String(address.port);
    url = target.toString();
  });
  afterAll(() => proxy.close());

  async function client(): Promise<{ client: pg.Client; errors: Error[] }> {
    const errors: Error[] = [];
    const connection = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    connection.on("error", (error) => errors.push(error));
    await connection.connect();
    return { client: connection, errors };
  }

  it("passes statements through and counts them", async () => {
    proxy.statements.length = 0;
    const { client: connection } = await client();
    try {
      expect((await connection.query("SELECT 41 + 1 AS answer")).rows).toEqual([{ answer: 42 }]);
      expect((await connection.query({ text: "SELECT $1::int AS n", values: [7] })).rows).toEqual([{ n: 7 }]);
    } finally {
      await connection.end();
    }
    expect(proxy.statements).toEqual([
      { type: "Q", sql: "SELECT 41 + 1 AS answer" },
      { type: "P", sql: "SELECT $1::int AS n" },
    ]);
  });

  it("resets the connection on the next matching statement only, then lets statements through", async () => {
    proxy.set({ kind: "connection_reset", count: 1, match: /^SELECT 2/ });
    const { client: first } = await client();
    expect((await first.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await expect(first.query("SELECT 2 AS two")).rejects.toThrow();
    await first.end().catch(() => {});
    const { client: second } = await client();
    try {
      expect((await second.query("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
    } finally {
      await second.end();
    }
    expect(proxy.list()).toEqual([]);
  });

  it("garbles or cuts the answer (the statement ran), and holds a timeout until cleared", async () => {
    for (const kind of ["malformed_json", "truncated_body"] as const) {
      proxy.set({ kind });
      const { client: connection } = await client();
      await expect(connection.query("SELECT repeat('x', 100) AS filler")).rejects.toThrow();
      await connection.end().catch(() => {});
    }
    proxy.set({ kind: "timeout" });
    const { client: held } = await client();
    const pending = held.query("SELECT 3").then(
      () => "answered",
      () => "failed",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.clear(); // ends the held connection
    expect(await pending).toBe("failed");
    await held.end().catch(() => {});
  });
});
