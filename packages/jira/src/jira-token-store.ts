import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface RefreshTokenStore {
  /** The persisted refresh token, or undefined when none was saved yet. */
  load(): Promise<string | undefined>;
  /** Persists a rotated refresh token; resolves once it is on disk. */
  save(refreshToken: string): Promise<void>;
}

/**
 * Keeps the newest refresh token in one file (mode 0600): written to a temporary file in the same folder and
 * renamed over the old one, so a crash never leaves half a token behind.
 */
export function fileRefreshTokenStore(file: string): RefreshTokenStore {
  const target = path.resolve(file);
  return {
    async load() {
      try {
        const value = (await readFile(target, "utf8")).trim();
        return value === "" ? undefined : value;
      } catch (error) {
        if ((error as { code?: unknown }).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async save(refreshToken) {
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temporary, `${refreshToken}\n`, { mode: 0o600 });
      await rename(temporary, target);
    },
  };
}
