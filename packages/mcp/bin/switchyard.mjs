#!/usr/bin/env node
import { runCli } from "../dist/cli/main.mjs";

const status = await runCli(process.argv.slice(2));
process.exitCode = status;
