import { ConnectorError } from "@switchyard/core";
import { z } from "zod";
import { definePostgresTool, identifier, POSTGRES_READ_ANNOTATIONS } from "../postgres-tool.js";

const ACTIONS: Readonly<Record<string, string>> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

const KINDS: Readonly<Record<string, string>> = {
  r: "table",
  p: "partitioned table",
  v: "view",
  m: "materialized view",
  f: "foreign table",
};

const columnOutput = z.object({
  name: z.string(),
  type: z.string().describe("As format_type prints it: character varying(80), numeric(10,2), ..."),
  nullable: z.boolean(),
  default: z.string().nullable(),
  identity: z.enum(["always", "by default"]).nullable(),
  generated: z.boolean().describe("A stored generated column."),
  comment: z.string().nullable(),
});

const keyOutput = z.object({ name: z.string(), columns: z.array(z.string()) });

const foreignKeyOutput = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  references: z.object({ schema: z.string(), table: z.string(), columns: z.array(z.string()) }),
  onUpdate: z.string(),
  onDelete: z.string(),
});

const output = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.string(),
  comment: z.string().nullable(),
  rowEstimate: z.number().nullable().describe("pg_class.reltuples; null when never analyzed."),
  columns: z.array(columnOutput),
  primaryKey: keyOutput.nullable(),
  uniqueConstraints: z.array(keyOutput),
  foreignKeys: z.array(foreignKeyOutput),
  referencedBy: z
    .array(
      z.object({ name: z.string(), schema: z.string(), table: z.string(), columns: z.array(z.string()) }),
    )
    .describe("Foreign keys of other tables that point at this one."),
  checks: z.array(z.object({ name: z.string(), definition: z.string() })),
  indexes: z.array(
    z.object({
      name: z.string(),
      method: z.string(),
      unique: z.boolean(),
      primary: z.boolean(),
      definition: z.string(),
    }),
  ),
});

interface RelationRow extends Record<string, unknown> {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  comment: string | null;
  row_estimate: number | null;
}

interface ColumnRow extends Record<string, unknown> {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  identity: string;
  generated: string;
  comment: string | null;
}

interface ConstraintRow extends Record<string, unknown> {
  name: string;
  type: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
  on_update: string;
  on_delete: string;
  definition: string;
}

interface IndexRow extends Record<string, unknown> {
  name: string;
  method: string;
  unique: boolean;
  primary: boolean;
  definition: string;
}

interface ReferenceRow extends Record<string, unknown> {
  name: string;
  schema: string;
  table: string;
  columns: string[];
}

const COLUMN_NAMES = (relation: string, keys: string) =>
  `ARRAY(SELECT att.attname::text FROM pg_catalog.unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute att ON att.attrelid = ${relation} AND att.attnum = k.attnum ORDER BY k.ord)`;

export const postgresDescribeTable = definePostgresTool({
  name: "postgres_describe_table",
  title: "Describe a table",
  description:
    "Describe one table or view: columns (type, nullability, default, comment), primary key, unique constraints, foreign keys in and out, check constraints and indexes. Without schema, the name resolves through the search_path.",
  input: z.object({
    table: identifier.describe("Table or view name, exactly as stored (case-sensitive)."),
    schema: identifier.optional(),
  }),
  output,
  annotations: POSTGRES_READ_ANNOTATIONS,
  async execute(input, ctx) {
    return ctx.client.catalog({ signal: ctx.signal, deadlineAt: ctx.deadlineAt }, async (query) => {
      const [relation] = await query<RelationRow>(
        `SELECT c.oid::int AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
           pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
           CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = pg_catalog.to_regclass(CASE WHEN $1::text IS NULL THEN pg_catalog.quote_ident($2::text)
               ELSE pg_catalog.quote_ident($1::text) || '.' || pg_catalog.quote_ident($2::text) END)
           AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
        [input.schema ?? null, input.table],
      );
      if (!relation) {
        throw new ConnectorError({
          code: "not_found",
          message: `No table or view ${input.schema ? `${input.schema}.` : ""}${input.table}${
            input.schema ? "" : " on the search_path"
          }.`,
          hint: "Use postgres_list_tables to find the exact (case-sensitive) name and its schema.",
        });
      }
      const oid = relation.oid;
      const columns = await query<ColumnRow>(
        `SELECT a.attname::text AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default,
           a.attidentity::text AS identity, a.attgenerated::text AS generated,
           pg_catalog.col_description(a.attrelid, a.attnum) AS comment
         FROM pg_catalog.pg_attribute a
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum`,
        [oid],
      );
      const constraints = await query<ConstraintRow>(
        `SELECT con.conname::text AS name, con.contype::text AS type,
           ${COLUMN_NAMES("con.conrelid", "con.conkey")} AS columns,
           fn.nspname::text AS ref_schema, fc.relname::text AS ref_table,
           ${COLUMN_NAMES("con.confrelid", "con.confkey")} AS ref_columns,
           con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete,
           pg_catalog.pg_get_constraintdef(con.oid) AS definition
         FROM pg_catalog.pg_constraint con
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
         WHERE con.conrelid = $1::oid AND con.contype IN ('p', 'u', 'f', 'c')
         ORDER BY con.conname`,
        [oid],
      );
      const referencedBy = await query<ReferenceRow>(
        `SELECT con.conname::text AS name, n.nspname::text AS schema, c.relname::text AS table,
           ${COLUMN_NAMES("con.conrelid", "con.conkey")} AS columns
         FROM pg_catalog.pg_constraint con
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE con.confrelid = $1::oid AND con.contype = 'f'
         ORDER BY n.nspname, c.relname, con.conname
         LIMIT 100`,
        [oid],
      );
      const indexes = await query<IndexRow>(
        `SELECT ic.relname::text AS name, am.amname::text AS method, i.indisunique AS unique,
           i.indisprimary AS primary, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_catalog.pg_am am ON am.oid = ic.relam
         WHERE i.indrelid = $1::oid
         ORDER BY ic.relname`,
        [oid],
      );
      const primary = constraints.find((constraint) => constraint.type === "p");
      return {
        schema: relation.schema,
        name: relation.name,
        kind: KINDS[relation.kind] ?? relation.kind,
        comment: relation.comment,
        rowEstimate: relation.row_estimate,
        columns: columns.map((column) => ({
          name: column.name,
          type: column.type,
          nullable: column.nullable,
          default: column.default,
          identity: (column.identity === "a" ? "always" : column.identity === "d" ? "by default" : null) as
            | "always"
            | "by default"
            | null,
          generated: column.generated === "s",
          comment: column.comment,
        })),
        primaryKey: primary ? { name: primary.name, columns: primary.columns } : null,
        uniqueConstraints: constraints
          .filter((constraint) => constraint.type === "u")
          .map((constraint) => ({ name: constraint.name, columns: constraint.columns })),
        foreignKeys: constraints
          .filter((constraint) => constraint.type === "f")
          .map((constraint) => ({
            name: constraint.name,
            columns: constraint.columns,
            references: {
              schema: constraint.ref_schema ?? "",
              table: constraint.ref_table ?? "",
              columns: constraint.ref_columns ?? [],
            },
            onUpdate: ACTIONS[constraint.on_update] ?? constraint.on_update,
            onDelete: ACTIONS[constraint.on_delete] ?? constraint.on_delete,
          })),
        referencedBy,
        checks: constraints
          .filter((constraint) => constraint.type === "c")
          .map((constraint) => ({ name: constraint.name, definition: constraint.definition })),
        indexes,
      };
    });
  },
});
