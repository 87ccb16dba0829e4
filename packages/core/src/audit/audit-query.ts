import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { AuditRecord } from "./audit-record.js";

export interface AuditFilter {
  /** Tool name or glob (`github_*`). */
  readonly tool?: string | undefined;
  readonly tenant?: string | undefined;
  /** `ok` or an error code. */
  readonly outcome?: string | undefined;
  /** Only records at or after this time. */
  readonly since?: Date | undefined;
  /** Most records returned (the newest). Default 100. */
  readonly limit?: number | undefined;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`);
}

export function matchesAuditFilter(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.tool && !globToRegExp(filter.tool).test(record.tool)) return false;
  if (filter.tenant && record.tenant !== filter.tenant) return false;
  if (filter.outcome && record.outcome !== filter.outcome) return false;
  if (filter.since && Date.parse(record.at) < filter.since.getTime()) return false;
  return true;
}

/** Reads a JSON-lines audit file and returns the newest matching records, oldest first. Bad lines are skipped. */
export async function queryJsonLinesAudit(path: string, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const limit = filter.limit ?? 100;
  const kept: AuditRecord[] = [];
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
    } catch {
      continue;
    }
    if (!matchesAuditFilter(record, filter)) continue;
    kept.push(record);
    if (kept.length > limit) kept.shift();
  }
  return kept;
}

/** Parses `--since` values: ISO 8601, or a relative `15m`, `2h`, `7d`. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as "s" | "m" | "h" | "d"];
    return new Date(now - Number(relative[1]) * unit);
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed))
    throw new TypeError(`"${value}" is neither ISO 8601 nor a duration like 15m, 2h or 7d.`);
  return new Date(parsed);
}
