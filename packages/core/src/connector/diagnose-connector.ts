import type { Credential, CredentialProvider } from "../credentials/credential.js";
import { createDeadline } from "../deadline/deadline.js";
import { raceSignal } from "../deadline/race-signal.js";
import type { ConnectorError } from "../errors/connector-error.js";
import type { ConnectorProbe, Diagnosis, DiagnosisProblem } from "./diagnosis.js";

export interface DiagnoseInput<Client> {
  readonly id: string;
  readonly credentials: CredentialProvider | undefined;
  readonly probe: ConnectorProbe<Client> | undefined;
  readonly clientFor: (credential: Credential | undefined) => Client;
  readonly deadlineMs: number;
  readonly classify: (error: unknown) => ConnectorError;
  readonly now: () => number;
}

/** Turns a failure into the fix an operator needs. */
function problemFor(error: ConnectorError, source: string | undefined): DiagnosisProblem {
  switch (error.code) {
    case "credentials_missing":
      return { message: error.message, fix: `Set ${source ?? "the connector's credential"}.` };
    case "unauthenticated":
      return {
        message: error.message,
        fix: "The credential was rejected: renew it (expired or revoked?) and check it is for this upstream.",
      };
    case "permission_denied":
      return { message: error.message, fix: "Grant the credential the missing permission or scope." };
    case "network":
    case "timeout":
      return {
        message: error.message,
        fix: "Check the base URL, DNS, proxies and firewall between this host and the upstream.",
      };
    case "rate_limited":
      return {
        message: error.message,
        fix: "The rate limit is exhausted; wait for its reset or use another credential.",
      };
    default:
      return { message: error.message, fix: error.hint };
  }
}

export async function diagnoseConnector<Client>(input: DiagnoseInput<Client>): Promise<Diagnosis> {
  const started = input.now();
  const deadline = createDeadline({ timeoutMs: input.deadlineMs, now: input.now });
  const source = input.credentials?.description;
  let credential: Credential | undefined;
  try {
    credential = await raceSignal(
      input.credentials?.get({ signal: deadline.signal }) ?? Promise.resolve(undefined),
      deadline.signal,
    );
  } catch (error) {
    deadline.dispose();
    return {
      connector: input.id,
      credentialsFound: false,
      ...(source ? { credentialSource: source } : {}),
      reachable: false,
      problems: [problemFor(deadline.reason() ?? input.classify(error), source)],
      durationMs: input.now() - started,
    };
  }
  const base = {
    connector: input.id,
    credentialsFound: input.credentials === undefined || credential !== undefined,
    ...(source ? { credentialSource: source } : {}),
  };
  if (!input.probe) {
    deadline.dispose();
    return { ...base, reachable: true, problems: [], durationMs: input.now() - started };
  }
  try {
    const result = await raceSignal(
      input.probe({ client: input.clientFor(credential), credential, signal: deadline.signal }),
      deadline.signal,
    );
    return {
      ...base,
      ...result,
      reachable: true,
      problems: result.problems ?? [],
      durationMs: input.now() - started,
    };
  } catch (error) {
    const mapped = deadline.reason() ?? input.classify(error);
    // An answer that refuses us still proves the upstream is reachable.
    const reachable = mapped.code !== "network" && mapped.code !== "timeout";
    return { ...base, reachable, problems: [problemFor(mapped, source)], durationMs: input.now() - started };
  } finally {
    deadline.dispose();
  }
}
