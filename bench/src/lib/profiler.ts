import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import type { CpuProfile } from "./cpu-profile.js";

/**
 * Samples this process with V8's CPU profiler (what `node --cpu-prof` writes) while `run` runs, and saves
 * the profile where DevTools or speedscope can open it (unless `save` is false: `file` is then undefined).
 */
export async function profileWhile(
  name: string,
  run: () => Promise<void>,
  options: { readonly save?: boolean } = {},
): Promise<{ profile: CpuProfile; file: string | undefined }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    await run();
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
    if (options.save === false) return { profile, file: undefined };
    const file = path.join(os.tmpdir(), `switchyard-bench-${name}-${process.pid}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return { profile, file };
  } finally {
    session.disconnect();
  }
}
