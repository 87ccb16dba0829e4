/** Every benchmark, in the order `bench` (all) runs them; each also has its own `bench:<name>` script. */
export const BENCHMARK_NAMES = ["overhead", "profile", "rate-limit", "tokens", "mcp", "memory"] as const;

export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];
