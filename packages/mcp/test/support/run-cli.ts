// Runs the CLI from source, for tests that spawn it as a real process.
import { runCli } from "../../src/cli/main.js";

process.exitCode = await runCli(process.argv.slice(2));
