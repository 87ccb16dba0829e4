// One of the processes sharing a rate-limit budget: builds the core connector (with or without Redis), says
// it is ready, fires its share of the burst on "go", reports, and exits.
import type { BucketSpec, BulkheadSpec, RedisOptions } from "@switchyard/core";
import { burst, coreRateConnector } from "../lib/rate-clients.js";

export interface RateWorkerConfig {
  readonly baseUrl: string;
  readonly spec: BucketSpec;
  readonly redis?: RedisOptions;
  readonly bulkhead?: BulkheadSpec;
  readonly calls: number;
}

interface WorkerMessage {
  readonly type: "config" | "go";
  readonly config?: RateWorkerConfig;
}

let connector: ReturnType<typeof coreRateConnector> | undefined;
let config: RateWorkerConfig | undefined;

process.on("message", async (message: WorkerMessage) => {
  if (message.type === "config" && message.config) {
    config = message.config;
    connector = coreRateConnector(config.baseUrl, config.spec, config.redis, config.bulkhead);
    // One call through the pipeline first (Redis connected, limiter scripts loaded); the server's counters
    // are reset after every worker is ready, before the clock starts.
    await connector.call("ratebench_get_repository", {});
    process.send?.({ type: "ready" });
    return;
  }
  if (message.type === "go" && connector && config) {
    const instance = connector;
    const result = await burst(config.calls, () => instance.call("ratebench_get_repository", {}));
    await instance.close();
    process.send?.({ type: "done", result }, () => process.exit(0));
  }
});
