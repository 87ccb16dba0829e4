import type { SandboxUpstream } from "../upstream.js";
import { createGithubSandboxHandlers, type GithubSandboxOptions } from "./github-handlers.js";
import type { GithubSandboxState } from "./github-state.js";

/** The token `startSandbox` hands out (any `ghp_`/`github_pat_`/`ghs_` token works the same). */
export const GITHUB_SANDBOX_TOKEN = `ghp_sandbox${"0".repeat(29)}`;

/** Options for the GitHub fake inside `startSandbox`; bases and faults come from the sandbox. */
export type GithubUpstreamOptions = Omit<
  GithubSandboxOptions,
  "baseUrl" | "faults" | "state" | "seed" | "now"
>;

/** Mounted at `/github` (REST root, like api.github.com) and `/github/api/v3` (GitHub Enterprise Server style). */
export const githubUpstream: SandboxUpstream<GithubUpstreamOptions, GithubSandboxState> = {
  name: "github",
  create({ mountPath, faults, seed, now, options }) {
    const sandbox = createGithubSandboxHandlers({
      ...options,
      seed,
      now,
      faults,
      baseUrl: [mountPath, `${mountPath}/api/v3`],
    });
    return {
      handlers: sandbox.handlers,
      state: sandbox.state,
      summary: () => sandbox.state.summary(),
      env: (url) => ({ GITHUB_API_URL: url, GITHUB_TOKEN: GITHUB_SANDBOX_TOKEN }),
      reset: () => sandbox.state.reset(),
    };
  },
};
