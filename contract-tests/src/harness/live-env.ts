import type { LiveRequirements } from "../connectors/contract-connector.js";

/**
 * The live target's environment: which connectors have their credentials, which hosts the live network guard
 * lets through, and whether any credential is an `aws-sm://` reference (then @switchyard/aws-secrets'
 * resolver is registered and AWS Secrets Manager's host allowed).
 */

export const AWS_SECRETS_REFERENCE = /^\s*aws-sm:\/\//;

/** Variables named in `names` that are unset or blank. */
export function missingVariables(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return names.filter((name) => !env[name]?.trim());
}

export interface LivePlan {
  /** Hosts (exact or `*.suffix`) the live guard allows besides loopback. */
  readonly hosts: string[];
  /** True when a credential variable holds an `aws-sm://` reference. */
  readonly usesAwsSecrets: boolean;
}

/** Decides the live hosts from the connectors whose read credentials are present. */
export function planLive(
  connectors: readonly { readonly live: LiveRequirements | undefined }[],
  env: Readonly<Record<string, string | undefined>>,
): LivePlan {
  const hosts = new Set<string>();
  for (const connector of connectors) {
    if (!connector.live || missingVariables(connector.live.read, env).length > 0) continue;
    for (const host of connector.live.hosts(env)) hosts.add(host.toLowerCase());
  }
  const usesAwsSecrets = Object.values(env).some(
    (value) => value !== undefined && AWS_SECRETS_REFERENCE.test(value),
  );
  if (usesAwsSecrets) {
    const references = Object.values(env).filter(
      (value): value is string => value !== undefined && AWS_SECRETS_REFERENCE.test(value),
    );
    let byName = false;
    for (const reference of references) {
      // A reference by ARN names its region; the SDK goes there whatever AWS_REGION says.
      const arnRegion = reference.match(/^\s*aws-sm:\/\/arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):/)?.[1];
      if (arnRegion) hosts.add(`secretsmanager.${arnRegion}.amazonaws.com`);
      else byName = true;
    }
    const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
    const endpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER?.trim() || env.AWS_ENDPOINT_URL?.trim();
    if (endpoint) hosts.add(new URL(endpoint).hostname.toLowerCase());
    else if (region) hosts.add(`secretsmanager.${region}.amazonaws.com`);
    // A reference by name and no region given: the SDK may take one from a profile; allow any region.
    else if (byName) hosts.add("*.amazonaws.com");
  }
  return { hosts: [...hosts].sort(), usesAwsSecrets };
}
