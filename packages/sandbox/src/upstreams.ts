import { awsSecretsUpstream } from "./aws-secrets/aws-secrets-upstream.js";
import { githubUpstream } from "./github/github-upstream.js";
import { jiraUpstream } from "./jira/jira-upstream.js";
import { slackUpstream } from "./slack/slack-upstream.js";
import type { SandboxUpstream } from "./upstream.js";

/**
 * The registry of fake upstreams. Adding one (Slack, Jira, ...) is a new folder `src/<name>/` exporting a
 * `SandboxUpstream`, plus one line here; names, option and state types follow from this object.
 */
export const SANDBOX_UPSTREAMS = {
  github: githubUpstream,
  jira: jiraUpstream,
  "aws-secrets": awsSecretsUpstream,
  slack: slackUpstream,
} as const;

export type UpstreamName = keyof typeof SANDBOX_UPSTREAMS;

type OptionsOf<U> = U extends SandboxUpstream<infer Options, infer _State> ? Options : never;
type StateOf<U> = U extends SandboxUpstream<infer _Options, infer State> ? State : never;

/** Each upstream's state type, as `sandbox.state[name]`. */
export type SandboxUpstreamStates = { [Name in UpstreamName]: StateOf<(typeof SANDBOX_UPSTREAMS)[Name]> };

/** Each upstream's options type, as `startSandbox({ options: { [name]: ... } })`. */
export type SandboxUpstreamOptions = { [Name in UpstreamName]: OptionsOf<(typeof SANDBOX_UPSTREAMS)[Name]> };

export const UPSTREAM_NAMES = Object.keys(SANDBOX_UPSTREAMS) as UpstreamName[];

export function isUpstreamName(name: string): name is UpstreamName {
  return Object.hasOwn(SANDBOX_UPSTREAMS, name);
}
