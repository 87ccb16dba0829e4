// Module resolution hooks (they run on Node's hooks thread): see record-imports.mjs.
import { appendFileSync } from "node:fs";

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (log) appendFileSync(log, `${specifier}\t${resolved.url}\n`);
  return resolved;
}
