import type { PGlite } from "@electric-sql/pglite";
import { DEMO_SEED_SQL } from "./demo-schema.js";

export interface EmbeddedPostgresOptions {
  /** Default 0: a free port on 127.0.0.1. */
  readonly port?: number;
  /** Create and fill the `demo` schema (customers, orders). Default true. */
  readonly seed?: boolean;
  /**
   * Client connections accepted at once; default 10. They all share ONE PostgreSQL session underneath (see
   * the README): queries are queued, and while one connection is inside a transaction the others wait.
   */
  readonly maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (no password: every connection is trusted). */
  readonly databaseUrl: string;
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The PGlite instance behind the socket, for direct `query()` in tests. */
  readonly db: PGlite;
  /** Closes client connections, the listener and the database. */
  close(): Promise<void>;
}

/**
 * PostgreSQL without a server install: PGlite (PostgreSQL compiled to WebAssembly, in memory) behind
 * pglite-socket, so `pg` and any other wire-protocol client connect to `databaseUrl`. PGlite is imported only
 * here, when called (startup takes about 2 s), so importing the sandbox never loads it.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`Invalid port: ${port}`);
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-socket"),
  ]);
  const db = await PGlite.create();
  let server: InstanceType<typeof PGLiteSocketServer> | undefined;
  try {
    if (options.seed ?? true) await db.exec(DEMO_SEED_SQL);
    server = new PGLiteSocketServer({
      db,
      host: "127.0.0.1",
      port,
      maxConnections: options.maxConnections ?? 10,
    });
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
  const listening = server;
  const actualPort = Number(listening.getServerConn().split(":").pop());
  let closing: Promise<void> | undefined;
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${actualPort}/postgres`,
    host: "127.0.0.1",
    port: actualPort,
    db,
    close() {
      closing ??= (async () => {
        await listening.stop();
        await db.close();
      })();
      return closing;
    },
  };
}
