import { execFile, execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster with `scram-sha-256` authentication, for tests that need real password
 * checks (the shared server trusts every connection). Started with initdb + pg_ctl on a free port under a
 * temp directory, as the `postgres` OS user when the tests run as root (initdb refuses root).
 */
export interface PrivateCluster {
  readonly host: string;
  readonly port: number;
  readonly superuser: string;
  readonly superuserPassword: string;
  stop(): Promise<void>;
}

function binary(name: string): string | undefined {
  try {
    const bindir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    const candidate = path.join(bindir, name);
    execFileSync(candidate, ["--version"], { stdio: "ignore" });
    return candidate;
  } catch {
    try {
      execFileSync(name, ["--version"], { stdio: "ignore" });
      return name;
    } catch {
      return undefined;
    }
  }
}

/** Why a private cluster cannot start here, or undefined when it can. */
export function privateClusterUnavailable(): string | undefined {
  if (!binary("initdb") || !binary("pg_ctl"))
    return "initdb/pg_ctl are not installed (PostgreSQL server binaries)";
  if (process.getuid?.() === 0) {
    try {
      execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
    } catch {
      return "running as root without a postgres OS user to run initdb as";
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const initdb = binary("initdb") as string;
  const pgCtl = binary("pg_ctl") as string;
  const root = mkdtempSync(path.join(tmpdir(), "sy-pg-scram-"));
  const data = path.join(root, "data");
  const superuserPassword = `super-${Math.random().toString(36).slice(2)}`;
  const passwordFile = path.join(root, "pwfile");
  writeFileSync(passwordFile, `${superuserPassword}\n`, { mode: 0o600 });
  const asPostgres: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(root, uid, gid);
    chownSync(passwordFile, uid, gid);
    asPostgres.uid = uid;
    asPostgres.gid = gid;
  }
  const port = await freePort();
  const options = { ...asPostgres, cwd: root, env: { ...process.env, LC_ALL: "C" } };
  await run(
    initdb,
    [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=scram-sha-256",
      `--pwfile=${passwordFile}`,
      "-E",
      "UTF8",
      "--no-sync",
    ],
    options,
  );
  await run(
    pgCtl,
    [
      "-D",
      data,
      "-o",
      `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      "-l",
      path.join(root, "pg.log"),
      "-w",
      "start",
    ],
    options,
  );
  return {
    host: "127.0.0.1",
    port,
    superuser: "postgres",
    superuserPassword,
    async stop() {
      try {
        await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], options);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
