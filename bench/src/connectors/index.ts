import type { ConnectorBench } from "./connector-bench.js";
import { githubBench } from "./github.js";
import { jiraBench } from "./jira.js";
import { postgresBench } from "./postgres.js";
import { slackBench } from "./slack.js";

/**
 * Every connector the benchmarks cover. A new connector is one module here (see connector-bench.ts); the
 * benchmarks iterate over this list. Connectors that are not committed yet are listed in PENDING_CONNECTORS
 * with what is missing, and every report says so.
 */
export const CONNECTORS: readonly ConnectorBench[] = [githubBench, slackBench, jiraBench, postgresBench];

export const PENDING_CONNECTORS: readonly { readonly id: string; readonly missing: string }[] = [];
