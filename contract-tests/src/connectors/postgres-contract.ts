import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createPostgresConnector, postgresSettingsFromEnv } from "@switchyard/postgres";
import { startSandbox } from "@switchyard/sandbox";
import pg from "pg";
import { TcpFaultProxy, type TcpFaultSpec } from "../faults/tcp-fault-proxy.js";
import {
  createRequestLog,
  type FakeTarget,
  type FaultableUpstream,
  type LoggedRequest,
  type RequestLog,
} from "../harness/fake-upstreams.js";
import type { ContractConnector, ContractResource, ScenarioContext } from "./contract-connector.js";

/**
 * PostgreSQL has no HTTP fake; its "fakes" are real databases:
 *
 * - mock: a scratch schema in the local PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
 *   postgres, as CI provides), dropped afterwards;
 * - sandbox: the same scratch schema in the sandbox's embedded PostgreSQL (`startSandbox({ postgres:
 *   "embedded" })`, PGlite over loopback);
 * - live: CONTRACT_POSTGRES_URL, read-only scenarios; writes only into CONTRACT_POSTGRES_TEST_SCHEMA, in a
 *   table the scenario creates and drops (the role needs CREATE on that schema).
 *
 * The fault matrix reaches PostgreSQL through a TCP fault proxy (connection reset, a server that stops
 * answering, a malformed or cut-short answer); the HTTP-only kinds (429, 403, 5xx, HTML pages, 401) have no
 * equivalent on its wire protocol and are reported as not applicable.
 */

export const POSTGRES_LIVE_ENV = {
  url: "CONTRACT_POSTGRES_URL",
  testSchema: "CONTRACT_POSTGRES_TEST_SCHEMA",
  readTable: "CONTRACT_POSTGRES_READ_TABLE",
} as const;

/** Set in a resource's env: the scratch schema holding `items`. */
const SCRATCH_SCHEMA = "CONTRACT_POSTGRES_SCRATCH_SCHEMA";
/** Set in the fault matrix's env: the database itself, not the fault proxy in front of it (to count rows). */
const DIRECT_URL = "CONTRACT_POSTGRES_DIRECT_URL";
const LOCAL_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const SEEDED_ROWS = 20;

const quote = (name: string) => pg.Client.prototype.escapeIdentifier(name);

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A scratch schema with `items(id, name, created_at)` and 20 rows; its env names it. */
async function scratchSchema(url: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const schema = `sy_contract_${randomBytes(4).toString("hex")}`;
  await withClient(url, async (client) => {
    await client.query(`CREATE SCHEMA ${quote(schema)}`);
    await client.query(
      `CREATE TABLE ${quote(schema)}.items (id serial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
    await client.query(
      `INSERT INTO ${quote(schema)}.items (name) SELECT 'item ' || n FROM generate_series(1, ${SEEDED_ROWS}) AS n`,
    );
  });
  return {
    env: {
      [POSTGRES_LIVE_ENV.url]: url,
      POSTGRES_WRITE_SCHEMAS: schema,
      [SCRATCH_SCHEMA]: schema,
    },
    drop: () =>
      withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`)).then(
        () => {},
      ),
  };
}

async function startResource(target: FakeTarget): Promise<ContractResource> {
  if (target === "mock") {
    const scratch = await scratchSchema(process.env.DATABASE_URL?.trim() || LOCAL_URL);
    return { env: scratch.env, close: scratch.drop };
  }
  const sandbox = await startSandbox({ upstreams: [], postgres: "embedded" });
  try {
    const url = sandbox.env.DATABASE_URL;
    if (!url) throw new Error("The sandbox started no PostgreSQL.");
    const scratch = await scratchSchema(url);
    return { env: scratch.env, close: () => sandbox.close() };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** Statements a tool runs, as opposed to session and transaction control around them. */
const TOOL_STATEMENT =
  /^\s*(?!(?:SET|RESET|SHOW|BEGIN|START|COMMIT|END|ROLLBACK|DISCARD|SAVEPOINT|RELEASE|DEALLOCATE|CLOSE|SELECT\s+pg_catalog\.set_config)\b)/i;

/**
 * The fault matrix's PostgreSQL: the scratch schema behind a TCP fault proxy. Statements (`Q`/`P` messages)
 * are its request log, logged as method `SQL` with the statement as the path.
 */
async function startFaultInjection(
  target: FakeTarget,
): Promise<FaultableUpstream & { close(): Promise<void> }> {
  const resource = await startResource(target);
  const url = new URL(resource.env[POSTGRES_LIVE_ENV.url] ?? LOCAL_URL);
  const proxy = new TcpFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  const address = await proxy.start();
  url.hostname = address.host;
  url.port = String(address.port);
  const log = createRequestLog();
  const requests: RequestLog = {
    get entries(): readonly LoggedRequest[] {
      return proxy.statements.map((statement) => ({ method: "SQL", path: statement.sql }));
    },
    count: (method, path) =>
      proxy.statements.filter(
        (statement) =>
          (method === undefined || method === "SQL") && (path === undefined || path.test(statement.sql)),
      ).length,
    clear: () => {
      proxy.statements.length = 0;
      log.clear();
    },
  };
  return {
    target,
    env: {
      ...resource.env,
      [POSTGRES_LIVE_ENV.url]: url.toString(),
      [DIRECT_URL]: resource.env[POSTGRES_LIVE_ENV.url] ?? LOCAL_URL,
    },
    // Faults hit the tool's own statement, as an HTTP fault hits the request, not the session set-up.
    faults: {
      set: (spec: TcpFaultSpec, scope?: { readonly path: RegExp }) =>
        proxy.set({ ...spec, match: scope?.path ?? TOOL_STATEMENT }),
      list: () => proxy.list(),
      clear: () => proxy.clear(),
    },
    requests,
    reset() {
      proxy.clear();
      proxy.dropAll();
      requests.clear();
    },
    async close() {
      await proxy.close();
      await resource.close();
    },
  };
}

/** The schema writes go to: the scratch schema on the fakes, CONTRACT_POSTGRES_TEST_SCHEMA live. */
function writeSchema(context: ScenarioContext): string {
  const schema =
    context.target === "live" ? context.env[POSTGRES_LIVE_ENV.testSchema] : context.env[SCRATCH_SCHEMA];
  if (!schema?.trim()) throw new Error(`${POSTGRES_LIVE_ENV.testSchema} is not set.`);
  return schema.trim();
}

/** Live writes go to a table of their own, created here and dropped by the cleanup. */
const liveTable = (context: ScenarioContext) =>
  `switchyard_contract_${context.runId.replace(/[^a-z0-9]/gi, "_").toLowerCase()}`;

function splitTable(value: string): { schema: string; table: string } {
  const [schema, table, ...rest] = value.trim().split(".");
  if (!schema || !table || rest.length > 0) {
    throw new TypeError(`${POSTGRES_LIVE_ENV.readTable} must be schema.table, got "${value}".`);
  }
  return { schema, table };
}

export const postgresContract: ContractConnector = {
  id: "postgres",
  packageName: "@switchyard/postgres",
  fake: undefined,
  resource: startResource,
  faultInjection: {
    kinds: ["connection_reset", "timeout", "malformed_json", "truncated_body"],
    notApplicable: "an HTTP answer; PostgreSQL's wire protocol has no equivalent",
    // Unlike an HTTP request, postgres_execute runs in a transaction, and these faults hit its INSERT, before
    // COMMIT is sent: a connection that dies there rolls the transaction back, so the write was provably not
    // applied (the connector says `notApplied`) and core repeats it on a new connection. `once`: the repeat
    // succeeds; `always`: bounded repeats, then `network`. The rows in the table (appliedCount) prove that
    // nothing was applied twice, nor despite `notApplied`. A drop during COMMIT (outcome unknown, never
    // repeated) is tested in packages/postgres/test/connection-loss.test.ts.
    overrides: {
      "connection-reset": {
        why: "the statement never reaches the server; the transaction is rolled back and the write repeated",
        nonIdempotent: { once: ["success"], always: ["network"] },
        provesNotApplied: true,
      },
      "malformed-json": {
        why: "garbage on the wire ends the connection: a network failure to the client; whatever ran, a write's transaction was never committed",
        idempotent: {
          once: ["success", "network", "invalid_response"],
          always: ["network", "invalid_response"],
        },
        nonIdempotent: { once: ["success"], always: ["network", "invalid_response"] },
        carriesOut: false,
        provesNotApplied: true,
      },
      "truncated-body": {
        why: "the answer is cut and the connection closed; whatever ran, a write's transaction was never committed",
        idempotent: {
          once: ["success", "network", "invalid_response"],
          always: ["network", "invalid_response"],
        },
        nonIdempotent: { once: ["success"], always: ["network", "invalid_response"] },
        carriesOut: false,
        provesNotApplied: true,
      },
    },
    start: startFaultInjection,
  },
  targets: ["mock", "sandbox", "live"],
  live: {
    read: [POSTGRES_LIVE_ENV.url],
    write: [POSTGRES_LIVE_ENV.url, POSTGRES_LIVE_ENV.testSchema],
    // Not HTTP: nothing is recorded.
    apiBase: () => "",
    hosts(env) {
      const url = env[POSTGRES_LIVE_ENV.url]?.trim();
      if (!url) return [];
      const parsed = new URL(url);
      return [parsed.searchParams.get("host") ?? parsed.hostname].filter(
        (host) => host && !host.startsWith("/"),
      );
    },
  },
  create: (env, options) =>
    createPostgresConnector(
      postgresSettingsFromEnv(env as NodeJS.ProcessEnv, {
        ...options,
        connectionString: env[POSTGRES_LIVE_ENV.url],
        ...(env[POSTGRES_LIVE_ENV.testSchema] && !env.POSTGRES_WRITE_SCHEMAS
          ? { schemas: [env[POSTGRES_LIVE_ENV.testSchema] as string] }
          : {}),
        max: 2,
      }),
    ),
  tools: [
    {
      tool: "postgres_query",
      class: "read",
      title: "runs a read-only query",
      idempotent: true,
      input: async (context) =>
        context.target === "live"
          ? { sql: "SELECT 1 AS one, current_database() AS database" }
          : { sql: `SELECT id, name FROM ${quote(writeSchema(context))}.items ORDER BY id`, limit: 5 },
      check(result, context) {
        const output = result.output as { items: unknown[]; orderIsTotal?: boolean };
        if (context.target !== "live") assert.equal(output.items.length, 5);
        else assert.equal(output.items.length, 1);
      },
    },
    {
      tool: "postgres_describe_table",
      class: "read",
      title: "describes a table",
      idempotent: true,
      liveEnv: [POSTGRES_LIVE_ENV.readTable],
      input: async (context) =>
        context.target === "live"
          ? splitTable(context.env[POSTGRES_LIVE_ENV.readTable] ?? "")
          : { schema: writeSchema(context), table: "items" },
      check(result, context) {
        if (context.target === "live") return;
        const output = result.output as { columns: { name: string }[]; primaryKey: unknown };
        assert.deepEqual(
          output.columns.map((column) => column.name),
          ["id", "name", "created_at"],
        );
      },
    },
    {
      tool: "postgres_list_tables",
      class: "list",
      title: "lists a schema's tables",
      idempotent: true,
      input: async (context) => ({ schema: context.target === "live" ? "public" : writeSchema(context) }),
    },
    {
      tool: "postgres_list_schemas",
      class: "list",
      title: "lists schemas",
      idempotent: true,
      input: async () => ({ limit: 50 }),
    },
    {
      tool: "postgres_execute",
      class: "write",
      title: "inserts a row in an allowlisted schema",
      idempotent: false,
      applies: { method: "SQL", path: /^\s*INSERT\b/i },
      async input(context) {
        const schema = writeSchema(context);
        let table = "items";
        if (context.target === "live") {
          table = liveTable(context);
          await withClient(context.env[POSTGRES_LIVE_ENV.url] ?? "", (client) =>
            client.query(
              `CREATE TABLE IF NOT EXISTS ${quote(schema)}.${quote(table)} (id serial PRIMARY KEY, name text NOT NULL)`,
            ),
          );
        }
        return {
          sql: `INSERT INTO ${quote(schema)}.${quote(table)} (name) VALUES ($1) RETURNING id`,
          params: [context.runId],
        };
      },
      check(result) {
        assert.equal((result.output as { rowsAffected: number }).rowsAffected, 1);
      },
      // The fault matrix's count of what its writes left in the table (read past the fault proxy).
      async appliedCount(context) {
        if (context.target === "live") return 0;
        const url = context.env[DIRECT_URL] ?? context.env[POSTGRES_LIVE_ENV.url] ?? LOCAL_URL;
        return withClient(url, async (client) => {
          const result = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${quote(writeSchema(context))}.items WHERE name = $1`,
            [context.runId],
          );
          return result.rows[0]?.n ?? 0;
        });
      },
      async cleanup(_connector, context) {
        if (context.target !== "live") return; // the scratch schema is dropped with the file
        await withClient(context.env[POSTGRES_LIVE_ENV.url] ?? "", (client) =>
          client.query(`DROP TABLE IF EXISTS ${quote(writeSchema(context))}.${quote(liveTable(context))}`),
        );
      },
    },
  ],
};
