/**
 * Drift report: the GitHub connector's zod wire schemas (src/github-api.ts) against GitHub's official OpenAPI
 * description (@octokit/openapi, api.github.com). Prints a markdown table of endpoints, fields checked and
 * problems; exits 1 when there is drift not listed in KNOWN_DRIFT (test/openapi/wire-drift.ts), and with
 * --strict on known drift too.
 *
 *   pnpm --filter @switchyard/github drift [--strict]
 *   node --import tsx scripts/check-openapi-drift.ts [--strict]     (from packages/github)
 */
import { loadGithubOpenApi } from "../test/openapi/github-openapi.js";
import { checkWireSchemaDrift, driftMarkdown, isKnownDrift } from "../test/openapi/wire-drift.js";

const strict = process.argv.includes("--strict");
const reports = checkWireSchemaDrift();
process.stdout.write(driftMarkdown(reports, loadGithubOpenApi().info.version));

const problems = reports.flatMap((report) => report.problems);
const failing = strict ? problems : problems.filter((problem) => !isKnownDrift(problem));
if (failing.length > 0) {
  process.stderr.write(
    `\n${failing.length} drift problem${failing.length === 1 ? "" : "s"}${strict ? "" : " not in KNOWN_DRIFT"}\n`,
  );
  process.exitCode = 1;
}
