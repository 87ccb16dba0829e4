import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Writable } from "node:stream";
import type { AuditRecord, AuditSink } from "./audit-record.js";

/** Appends one JSON object per line to a file (created with its folder) or to a stream you own. */
export function jsonLinesAuditSink(
  target: { readonly path: string } | { readonly stream: Writable },
): AuditSink {
  const lines = (records: readonly AuditRecord[]) =>
    records.map((record) => `${JSON.stringify(record)}\n`).join("");
  if ("stream" in target) {
    return {
      name: "json-lines-stream",
      write: (records) =>
        new Promise<void>((resolve, reject) => {
          target.stream.write(lines(records), (error) => (error ? reject(error) : resolve()));
        }),
    };
  }
  let ready: Promise<unknown> | undefined;
  return {
    name: `json-lines:${target.path}`,
    async write(records) {
      ready ??= mkdir(dirname(target.path), { recursive: true });
      await ready;
      await appendFile(target.path, lines(records), { encoding: "utf8", mode: 0o600 });
    },
  };
}
