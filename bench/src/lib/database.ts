import { randomBytes } from "node:crypto";
import pg from "pg";
import { DATABASE_URL } from "./environment.js";

/** Rows in the benchmark table. */
export const ITEM_ROWS = 10_000;

/** One database per run (created here, dropped by `drop`), so runs never see each other's objects. */
export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `sy_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const seed = new pg.Client({ connectionString: url.toString() });
  await seed.connect();
  try {
    await seed.query(`
      CREATE TABLE public.items (
        id integer PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        country text NOT NULL,
        score numeric(10, 2) NOT NULL,
        created_at timestamptz NOT NULL
      );
      INSERT INTO public.items
        SELECT g, 'Customer ' || g, 'customer' || g || '@example.com', (ARRAY['DE','FR','US','JP','BR'])[1 + g % 5],
               round((g % 1000)::numeric / 7, 2), timestamptz '2026-01-01' + g * interval '37 minutes'
        FROM generate_series(1, ${ITEM_ROWS}) AS g;
      ANALYZE public.items;
    `);
  } finally {
    await seed.end();
  }
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: DATABASE_URL });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS ${again.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}
