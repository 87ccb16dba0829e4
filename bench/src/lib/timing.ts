import { performance } from "node:perf_hooks";

export interface ComparedLatencies {
  readonly samples: Record<string, number[]>;
}

/**
 * Runs each variant sequentially (one call in flight), warm-up first, then the measured calls in
 * alternating blocks so that drift (JIT tiers, GC, a busy neighbour) hits every variant alike.
 */
export async function compareSequential(
  variants: Record<string, () => Promise<unknown>>,
  options: { readonly warmup: number; readonly iterations: number; readonly block?: number },
): Promise<ComparedLatencies> {
  const names = Object.keys(variants);
  for (const name of names) {
    const run = variants[name] as () => Promise<unknown>;
    for (let index = 0; index < options.warmup; index += 1) await run();
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const block = Math.max(1, Math.min(options.block ?? 100, options.iterations));
  for (let done = 0; done < options.iterations; done += block) {
    const size = Math.min(block, options.iterations - done);
    for (const name of names) {
      const run = variants[name] as () => Promise<unknown>;
      const into = samples[name] as number[];
      for (let index = 0; index < size; index += 1) {
        const started = performance.now();
        await run();
        into.push(performance.now() - started);
      }
    }
  }
  return { samples };
}

/** Runs `total` calls with at most `concurrency` in flight; returns each call's latency and the wall time. */
export async function runConcurrent(
  call: () => Promise<unknown>,
  options: { readonly total: number; readonly concurrency: number },
): Promise<{ latencies: number[]; wallMs: number; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < options.total) {
      issued += 1;
      const at = performance.now();
      try {
        await call();
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - at);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, worker));
  return { latencies, wallMs: performance.now() - started, failures };
}
