// Preloaded with `node --import` by lazy-loading.test.ts: records every module the process resolves (the
// specifier and the URL it resolved to) into the file named by SWITCHYARD_IMPORT_LOG, one per line.
import { register } from "node:module";

register("./record-imports-hooks.mjs", import.meta.url, { data: { log: process.env.SWITCHYARD_IMPORT_LOG } });
