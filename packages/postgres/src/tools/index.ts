import type { AnyToolDefinition } from "@switchyard/core";
import { postgresDescribeTable } from "./postgres-describe-table.js";
import { createPostgresExecuteTool, postgresExecute } from "./postgres-execute.js";
import { postgresExplain } from "./postgres-explain.js";
import { postgresListSchemas } from "./postgres-list-schemas.js";
import { postgresListTables } from "./postgres-list-tables.js";
import { postgresQuery } from "./postgres-query.js";

export {
  createPostgresExecuteTool,
  postgresDescribeTable,
  postgresExecute,
  postgresExplain,
  postgresListSchemas,
  postgresListTables,
  postgresQuery,
};

/** Every PostgreSQL tool; core enables postgres_execute only when writes are allowed. */
export const postgresTools: readonly AnyToolDefinition[] = [
  postgresListSchemas,
  postgresListTables,
  postgresDescribeTable,
  postgresQuery,
  postgresExplain,
  postgresExecute,
];
