import { ConnectorError } from "@switchyard/core";
import type pg from "pg";
import type Cursor from "pg-cursor";

/**
 * The client libraries, imported on first use rather than when the connector is built: pg, pg-cursor and
 * libpg-query cost more at start-up than everything else the connector loads, and building the connector or
 * listing its tools needs none of them. Each import runs once; a failed one is not kept (a later call tries
 * again) and fails the call with a ConnectorError (`internal`) that names the library.
 */
function lazyImport<Module>(library: string, load: () => Promise<Module>): () => Promise<Module> {
  let loading: Promise<Module> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw libraryLoadError(library, error);
    });
    return loading;
  };
}

export function libraryLoadError(library: string, error: unknown): ConnectorError {
  return new ConnectorError({
    code: "internal",
    message: `The PostgreSQL connector could not load ${library}: ${(error as Error)?.message ?? String(error)}`,
    hint: `The connector's installation is incomplete (its dependency ${library} is missing or broken). Retrying will not help; ask the operator to reinstall @switchyard/postgres.`,
    cause: error,
  });
}

/** pg (the driver) and pg-cursor (named portals, layer 1 and streaming export). */
export interface PgLibraries {
  readonly pg: typeof pg;
  readonly Cursor: typeof Cursor;
}

const importPg = lazyImport("pg", () => import("pg").then((module) => module.default));
const importCursor = lazyImport("pg-cursor", () => import("pg-cursor").then((module) => module.default));

let pgLibraries: PgLibraries | undefined;

/** pg and pg-cursor, imported together on the first connection. */
export async function loadPg(): Promise<PgLibraries> {
  if (pgLibraries) return pgLibraries;
  const [pgModule, CursorClass] = await Promise.all([importPg(), importCursor()]);
  pgLibraries ??= { pg: pgModule, Cursor: CursorClass };
  return pgLibraries;
}

/** libpg-query (the PostgreSQL parser, WASM): the module only; sql-guard.ts loads its WASM. */
export const importLibpgQuery = lazyImport("libpg-query", () => import("libpg-query"));
