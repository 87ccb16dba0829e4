import { readFile } from "node:fs/promises";

/** The parts of a V8 .cpuprofile (written by `node --cpu-prof`) this analysis reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileBreakdown {
  /** Sampled time that was not idle, ms. */
  readonly busyMs: number;
  readonly idleMs: number;
  /** Self time per package or area, ms, largest first. */
  readonly byArea: readonly { readonly area: string; readonly ms: number }[];
  /** Self time per function, ms, largest first. */
  readonly byFunction: readonly { readonly name: string; readonly area: string; readonly ms: number }[];
  /** Inclusive time (self plus callees) of functions whose name matches one of `inclusive`, ms. */
  readonly inclusive: readonly { readonly name: string; readonly ms: number }[];
}

/** Which package or part of Node a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "V8/native (program)";
  if (functionName === "(idle)") return "idle";
  const workspace = /\/packages\/([^/]+)\//.exec(url);
  if (workspace && !url.includes("/node_modules/")) return `@switchyard/${workspace[1]}`;
  const pnpm = /node_modules\/\.pnpm\/(@[^+]+\+[^@]+|[^@/]+)@/.exec(url);
  if (pnpm?.[1]) return pnpm[1].replace("+", "/");
  const plain = /node_modules\/(@[^/]+\/[^/]+|[^/]+)\//.exec(url);
  if (plain?.[1]) return plain[1];
  if (url.startsWith("node:internal/deps/undici")) return "undici (Node's fetch)";
  if (url.startsWith("node:")) return "Node core (streams, net, http, timers)";
  if (url === "") return "V8 builtins";
  return url.includes("/bench/") ? "bench harness" : "other";
}

export async function readCpuProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, "utf8")) as CpuProfile;
}

export function analyzeCpuProfile(profile: CpuProfile, inclusive: readonly string[] = []): ProfileBreakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const inclusiveUs = new Map<string, number>(inclusive.map((name) => [name, 0]));
  for (let index = 0; index < profile.samples.length; index += 1) {
    const id = profile.samples[index] as number;
    // timeDeltas[i + 1] is the time from sample i to the next: the time spent where sample i was taken.
    const delta = profile.timeDeltas[index + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    if (inclusive.length > 0) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at)?.callFrame.functionName ?? "";
        if (inclusiveUs.has(name) && !seen.has(name)) {
          seen.add(name);
          inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + delta);
        }
      }
    }
  }
  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; area: string; us: number }>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const area = areaOf(frame.url, frame.functionName);
    if (area === "idle") {
      idleUs += us;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").slice(-1)[0] ?? ""}:${frame.lineNumber + 1}`;
    const entry = functions.get(name) ?? { name, area, us: 0 };
    entry.us += us;
    functions.set(name, entry);
  }
  const busyUs = [...areas.values()].reduce((sum, us) => sum + us, 0);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    byArea: [...areas.entries()].map(([area, us]) => ({ area, ms: us / 1000 })).sort((a, b) => b.ms - a.ms),
    byFunction: [...functions.values()]
      .map((entry) => ({ name: entry.name, area: entry.area, ms: entry.us / 1000 }))
      .sort((a, b) => b.ms - a.ms),
    inclusive: [...inclusiveUs.entries()].map(([name, us]) => ({ name, ms: us / 1000 })),
  };
}
