import type { AuditFilter } from "@switchyard/core";

/** SQL conditions for the parts of an AuditFilter other than `limit`; parameters are appended to `params`. */
export function filterConditions(
  filter: Pick<AuditFilter, "tool" | "tenant" | "outcome" | "since">,
  params: unknown[],
): string[] {
  const conditions: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.tool) {
    if (filter.tool.includes("*")) {
      // Same glob as matchesAuditFilter: `*` is the only wildcard, everything else is literal.
      const pattern = filter.tool.replace(/[\\%_]/g, "\\$&").replaceAll("*", "%");
      conditions.push(`tool LIKE ${param(pattern)} ESCAPE '\\'`);
    } else {
      conditions.push(`tool = ${param(filter.tool)}`);
    }
  }
  if (filter.tenant) conditions.push(`tenant = ${param(filter.tenant)}`);
  if (filter.outcome) conditions.push(`outcome = ${param(filter.outcome)}`);
  if (filter.since) {
    if (!(filter.since instanceof Date) || Number.isNaN(filter.since.getTime())) {
      throw new TypeError("filter.since must be a valid Date.");
    }
    conditions.push(`at >= ${param(filter.since.toISOString())}::timestamptz`);
  }
  return conditions;
}
