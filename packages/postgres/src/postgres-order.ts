import type { OrderFacts } from "./read-only/sql-guard.js";

export interface OrderVerdict {
  /** Every row comes back exactly once across pages (given no concurrent writes). */
  readonly total: boolean;
  /** Why not, for the output's notes. */
  readonly reason?: string;
}

/** Looks up the column sets of a table's primary key and NOT NULL unique indexes. */
export type UniqueKeyLookup = (relation: {
  readonly schema?: string | undefined;
  readonly name: string;
}) => Promise<readonly (readonly string[])[]>;

const NOT_TOTAL_HINT =
  "Pages are read with LIMIT/OFFSET, each page running the query again: without a total order rows can repeat or be skipped between pages. Add ORDER BY on a primary key or unique NOT NULL column(s).";

/**
 * A conservative check that the query's ORDER BY makes the row order total: it covers every output column,
 * or (one plain table in FROM) a primary key / unique NOT NULL index, or every plain GROUP BY key. Anything
 * it cannot prove is reported as not total.
 */
export async function judgeOrder(
  facts: OrderFacts,
  outputColumns: readonly string[],
  uniqueKeys: UniqueKeyLookup,
): Promise<OrderVerdict> {
  if (facts.sortKeys.length === 0) {
    return { total: false, reason: `The query has no ORDER BY. ${NOT_TOTAL_HINT}` };
  }
  // Output names the ORDER BY covers (by name or ordinal).
  const coveredOutputs = new Set<string>();
  for (const key of facts.sortKeys) {
    if (key.kind === "column") coveredOutputs.add(key.name);
    if (key.kind === "ordinal") {
      const name = outputColumns[key.index - 1];
      if (name !== undefined) coveredOutputs.add(name);
    }
  }
  // Identical rows are indistinguishable: ordering by every output column is total for paging purposes.
  if (outputColumns.length > 0 && outputColumns.every((column) => coveredOutputs.has(column))) {
    return { total: true };
  }
  if (facts.setOperation) {
    return {
      total: false,
      reason: `The ORDER BY of a UNION/INTERSECT/EXCEPT does not cover every output column. ${NOT_TOTAL_HINT}`,
    };
  }
  // Table columns the ORDER BY names: an output alias stands for its expression, not a table column.
  const sortedTableColumns = new Set<string>();
  for (const key of facts.sortKeys) {
    let column: string | undefined;
    if (key.kind === "column")
      column = facts.outputAliases.has(key.name) ? facts.outputAliases.get(key.name) : key.name;
    if (key.kind === "ordinal") column = facts.outputColumnsByPosition[key.index - 1];
    if (column !== undefined) sortedTableColumns.add(column);
  }
  if (facts.groupBy && !facts.groupByComplex) {
    if (facts.groupBy.every((name) => sortedTableColumns.has(name) || coveredOutputs.has(name)))
      return { total: true };
    return { total: false, reason: `The ORDER BY does not cover every GROUP BY key. ${NOT_TOTAL_HINT}` };
  }
  if (facts.relation && !facts.groupByComplex && !facts.distinct) {
    const keys = await uniqueKeys(facts.relation);
    if (
      keys.some((columns) => columns.length > 0 && columns.every((column) => sortedTableColumns.has(column)))
    ) {
      return { total: true };
    }
  }
  return {
    total: false,
    reason: `The ORDER BY was not shown to cover a unique key of the result (a conservative check). ${NOT_TOTAL_HINT}`,
  };
}
