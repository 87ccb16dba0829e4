import { parseArgs } from "node:util";
import { registerSecretStores } from "../config/secret-stores.js";
import { ConfigError, loadSwitchyardConfig } from "../config/switchyard-config.js";
import { ToolSelectionError } from "../server/select-tools.js";
import { type CliIo, processIo, UsageError } from "./cli-io.js";
import { COMMAND_HELP as HELP, MAIN_HELP } from "./help.js";

// Each command is imported when it runs, not here: `serve github` must not pay for the tokenizer of `list`,
// the sandbox and MCP client of `demo`, or `pg` of `audit` (cold start is spawn to the first answer).

/** Runs the CLI; returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  registerSecretStores();
  const [command, ...rest] = argv;
  try {
    if (!command || command === "--help" || command === "-h" || command === "help") {
      io.out(command === "help" && rest[0] && HELP[rest[0]] ? (HELP[rest[0]] as string) : MAIN_HELP);
      return 0;
    }
    const help = HELP[command];
    if (!help) throw new UsageError(`Unknown command "${command}".`);
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        config: { type: "string" },
        json: { type: "boolean" },
        http: { type: "string" },
        "allow-writes": { type: "boolean" },
        tools: { type: "string", multiple: true },
        "deadline-ms": { type: "string" },
        tenant: { type: "string" },
        file: { type: "string" },
        tool: { type: "string" },
        since: { type: "string" },
        outcome: { type: "string" },
        limit: { type: "string" },
        follow: { type: "boolean" },
        port: { type: "string" },
        "database-url": { type: "string" },
      },
    });
    if (values.help) {
      io.out(help);
      return 0;
    }
    const config = loadSwitchyardConfig(values.config, io.cwd);
    switch (command) {
      case "list":
        return await (await import("./commands/list-command.js")).listCommand(io, config, {
          ids: positionals,
          json: values.json === true,
        });
      case "doctor":
        return await (await import("./commands/doctor-command.js")).doctorCommand(io, config, {
          ids: positionals,
          json: values.json === true,
        });
      case "call": {
        const deadline = values["deadline-ms"] === undefined ? undefined : Number(values["deadline-ms"]);
        if (deadline !== undefined && !(Number.isInteger(deadline) && deadline > 0)) {
          throw new UsageError("--deadline-ms takes a positive whole number of milliseconds.");
        }
        return await (await import("./commands/call-command.js")).callCommand(io, config, {
          tool: positionals[0],
          json: positionals[1],
          allowWrites: values["allow-writes"] === true || config.allowWrites === true,
          deadlineMs: deadline,
          tenant: values.tenant,
        });
      }
      case "audit": {
        const { auditCommand, auditFilterFrom } = await import("./commands/audit-command.js");
        return await auditCommand(io, config, {
          action: positionals[0],
          file: values.file,
          databaseUrl: values["database-url"],
          filter: auditFilterFrom({
            tool: values.tool,
            since: values.since,
            tenant: values.tenant,
            outcome: values.outcome,
            limit: values.limit,
          }),
          follow: values.follow === true,
          json: values.json === true,
        });
      }
      case "sandbox":
        return await (await import("./commands/sandbox-command.js")).sandboxCommand(io, {
          port: values.port,
          json: values.json === true,
        });
      case "demo":
        return await (await import("./commands/demo-command.js")).demoCommand(io);
      case "serve":
        return await (await import("./commands/serve-command.js")).serveCommand(io, config, {
          ids: positionals,
          http: values.http,
          allowWrites: values["allow-writes"] === true,
          tools: values.tools ?? [],
        });
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`switchyard: ${(error as Error).message}\n\n${(command && HELP[command]) || MAIN_HELP}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof ToolSelectionError) {
      io.err(`switchyard: ${error.message}`);
      return 2;
    }
    io.err(`switchyard: ${(error as Error).message}`);
    return 1;
  }
}
