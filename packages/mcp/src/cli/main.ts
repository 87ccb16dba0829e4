import { parseArgs } from "node:util";
import { registerSecretStores } from "../config/secret-stores.js";
import { ConfigError, loadSwitchyardConfig } from "../config/switchyard-config.js";
import { ToolSelectionError } from "../server/select-tools.js";
import { type CliIo, processIo, UsageError } from "./cli-io.js";
import { AUDIT_HELP, auditCommand, auditFilterFrom } from "./commands/audit-command.js";
import { CALL_HELP, callCommand } from "./commands/call-command.js";
import { DEMO_HELP, demoCommand } from "./commands/demo-command.js";
import { DOCTOR_HELP, doctorCommand } from "./commands/doctor-command.js";
import { LIST_HELP, listCommand } from "./commands/list-command.js";
import { SANDBOX_HELP, sandboxCommand } from "./commands/sandbox-command.js";
import { SERVE_HELP, serveCommand } from "./commands/serve-command.js";

const MAIN_HELP = `switchyard: maintained connectors for AI agents

Usage: switchyard <command> [options]

Commands:
  list      connectors and tools, with each tool's schema size in tokens
  call      run one tool call and print the result
  serve     serve connectors as an MCP server (stdio or Streamable HTTP)
  doctor    check credentials, identity, scopes, rate limits, circuits and reachability
  audit     read the audit trail back (tail, query)
  sandbox   start the loopback fake upstreams and print the variables pointing at them
  demo      the quick start: sandbox + MCP server + client, with a transcript

Options for every command:
  --config <file>   read settings from this JSON file (default ./switchyard.config.json if present)
  --help            help for the command

Configuration comes from environment variables (GITHUB_TOKEN, GITHUB_API_URL, DATABASE_URL, ...),
overridden by the config file's "connectors" section.`;

const HELP: Record<string, string> = {
  list: LIST_HELP,
  call: CALL_HELP,
  serve: SERVE_HELP,
  doctor: DOCTOR_HELP,
  audit: AUDIT_HELP,
  sandbox: SANDBOX_HELP,
  demo: DEMO_HELP,
};

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
        return await listCommand(io, config, { ids: positionals, json: values.json === true });
      case "doctor":
        return await doctorCommand(io, config, { ids: positionals, json: values.json === true });
      case "call": {
        const deadline = values["deadline-ms"] === undefined ? undefined : Number(values["deadline-ms"]);
        if (deadline !== undefined && !(Number.isInteger(deadline) && deadline > 0)) {
          throw new UsageError("--deadline-ms takes a positive whole number of milliseconds.");
        }
        return await callCommand(io, config, {
          tool: positionals[0],
          json: positionals[1],
          allowWrites: values["allow-writes"] === true || config.allowWrites === true,
          deadlineMs: deadline,
          tenant: values.tenant,
        });
      }
      case "audit":
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
      case "sandbox":
        return await sandboxCommand(io, { port: values.port, json: values.json === true });
      case "demo":
        return await demoCommand(io);
      case "serve":
        return await serveCommand(io, config, {
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
