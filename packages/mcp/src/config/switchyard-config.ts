import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/** `switchyard.config.json`: optional; environment variables fill everything it leaves out. */
export const switchyardConfigSchema = z
  .object({
    allowWrites: z.boolean().optional(),
    tools: z.array(z.string()).optional(),
    deadlineMs: z.number().int().positive().optional(),
    redisUrl: z.string().optional(),
    cursorSecret: z.string().min(16).optional(),
    connectors: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    approval: z
      .object({
        policies: z.record(z.string(), z.enum(["always", "never", "when-unlisted"])).optional(),
        destructiveDefault: z.enum(["always", "never", "when-unlisted"]).optional(),
      })
      .strict()
      .optional(),
    audit: z.object({ file: z.string().optional(), databaseUrl: z.string().optional() }).strict().optional(),
    http: z
      .object({
        host: z.string().optional(),
        port: z.number().int().min(0).max(65535).optional(),
        allowedHosts: z.array(z.string()).optional(),
        maxBodyBytes: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SwitchyardConfig = z.infer<typeof switchyardConfigSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Reads the config file named by `--config`, else `./switchyard.config.json` when it exists. A file that does
 * not parse, or has unknown keys, is an error: a typo must not silently fall back to defaults.
 */
export function loadSwitchyardConfig(path: string | undefined, cwd = process.cwd()): SwitchyardConfig {
  const file = resolve(cwd, path ?? "switchyard.config.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = switchyardConfigSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(`Config file ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
