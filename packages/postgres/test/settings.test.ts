import { describe, expect, it } from "vitest";
import {
  createPostgresConnector,
  parseDatabaseUrl,
  postgresSettingsFromEnv,
  resolveConnectionTarget,
  resolvePostgresSettings,
} from "../src/index.js";

describe("settings", () => {
  it("reads DATABASE_URL, POSTGRES_PASSWORD, POSTGRES_WRITE_SCHEMAS and the limits from the environment", async () => {
    const settings = postgresSettingsFromEnv(
      {
        DATABASE_URL: "postgres://app@db.internal:6543/shop?sslmode=require",
        POSTGRES_PASSWORD: "s3cret-from-env",
        POSTGRES_WRITE_SCHEMAS: "sales, staging_*",
        POSTGRES_POOL_MAX: "7",
        POSTGRES_STATEMENT_TIMEOUT_MS: "2500",
      },
      { allowWrites: true, max: undefined },
    );
    expect(settings).toMatchObject({
      connectionString: "postgres://app@db.internal:6543/shop?sslmode=require",
      schemas: ["sales", "staging_*"],
      max: 7,
      statementTimeoutMs: 2500,
      allowWrites: true,
    });
    expect((await settings.credentials?.get())?.value).toBe("s3cret-from-env");
    const target = resolveConnectionTarget(settings);
    expect(target).toMatchObject({
      host: "db.internal",
      port: 6543,
      database: "shop",
      user: "app",
      ssl: { rejectUnauthorized: false },
    });
    expect(() => postgresSettingsFromEnv({ POSTGRES_POOL_MAX: "lots" })).toThrow(/POSTGRES_POOL_MAX/);
  });

  it("parses URLs: passwords become a credential provider, sockets and sslmode are understood", async () => {
    expect(parseDatabaseUrl("postgresql://u:p%40ss@[::1]:5433/d")).toEqual({
      host: "::1",
      port: 5433,
      database: "d",
      user: "u",
      password: "p@ss",
    });
    expect(parseDatabaseUrl("postgres:///d?host=/var/run/postgresql&sslmode=disable")).toMatchObject({
      host: "/var/run/postgresql",
      database: "d",
      ssl: false,
    });
    expect(() => parseDatabaseUrl("mysql://x")).toThrow(/postgres:\/\//);
    const target = resolveConnectionTarget({ connectionString: "postgres://u:from-url@h/d" });
    expect((await target.credentials?.get())?.value).toBe("from-url");
    expect(resolveConnectionTarget({ connectionString: "postgres://u@h/d" }).credentials).toBeUndefined();
  });

  it("fills defaults and caps rows at 1,000", () => {
    const resolved = resolvePostgresSettings({ maxRows: 50_000 });
    expect(resolved).toMatchObject({
      max: 5,
      connectionTimeoutMs: 5000,
      statementTimeoutMs: 15_000,
      lockTimeoutMs: 2000,
      maxLifetimeSeconds: 1800,
      applicationName: "switchyard-postgres",
      maxRows: 1000,
      defaultSchema: "public",
      writeSchemas: [],
    });
  });

  it("builds without connecting, and lists postgres_execute only when writes are allowed", async () => {
    const readOnly = createPostgresConnector({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
    expect(readOnly.enabledTools().map((tool) => tool.name)).toEqual([
      "postgres_describe_table",
      "postgres_explain",
      "postgres_list_schemas",
      "postgres_list_tables",
      "postgres_query",
    ]);
    const writer = createPostgresConnector({
      connectionString: "postgres://nobody@127.0.0.1:1/none",
      allowWrites: true,
    });
    expect(writer.enabledTools().map((tool) => tool.name)).toContain("postgres_execute");
    const execute = writer.tools.find((tool) => tool.name === "postgres_execute");
    expect(execute?.annotations).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
      openWorld: false,
    });
    await readOnly.close();
    await writer.close();
  });
});
