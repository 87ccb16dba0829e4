import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";

/** The real PostgreSQL server the tests run against (an admin connection). */
const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** A database created for this test run (dropped afterwards). */
    databaseUrl: string;
    databaseName: string;
  }
}

let created: string | undefined;

/** One database per run, so parallel packages and runs never see each other's objects. */
export async function setup(project: TestProject): Promise<void> {
  const name = `sy_pg_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  created = name;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  project.provide("databaseUrl", url.toString());
  project.provide("databaseName", name);
}

export async function teardown(): Promise<void> {
  if (!created) return;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(created)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
