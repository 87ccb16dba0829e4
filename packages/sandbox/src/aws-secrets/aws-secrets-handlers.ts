import { http, type RequestHandler } from "msw";
import { createFaultHandler } from "../faults/fault-handler.js";
import { UpstreamFaults } from "../faults/upstream-faults.js";
import { normalizeBases, routeRegExp, underBasesRegExp } from "../routing/route-pattern.js";
import { AMZ_JSON, AwsSecretsError, awsErrorResponse } from "./aws-secrets-errors.js";
import { awsSecretsFaultFlavor } from "./aws-secrets-fault-flavor.js";
import { isAwsSecretsOperation } from "./aws-secrets-model.js";
import { AWS_SECRETS_OPERATION_HANDLERS } from "./aws-secrets-operations.js";
import { AwsSecretsState, type AwsSecretsStateOptions } from "./aws-secrets-state.js";

export interface AwsSecretsSandboxOptions extends AwsSecretsStateOptions {
  /**
   * Where the fake answers: endpoint URLs (`https://secretsmanager.us-east-1.amazonaws.com`) and/or paths that
   * match on any origin (`/aws-secrets`). Default `https://secretsmanager.<region>.amazonaws.com`.
   */
  readonly baseUrl?: string | readonly string[];
  /** Use this state instead of a new one. */
  readonly state?: AwsSecretsState;
  /** Use this fault controller instead of a new one. */
  readonly faults?: UpstreamFaults;
}

export interface AwsSecretsSandbox {
  /** For `setupServer(...handlers)` or the loopback server: faults first, then the API, then a 404. */
  readonly handlers: RequestHandler[];
  readonly state: AwsSecretsState;
  readonly faults: UpstreamFaults;
  readonly bases: readonly string[];
  /** Re-seeds the data and clears faults, rate windows and queued failures. */
  reset(): void;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=..., Signature=...` */
const SIGV4 =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([A-Za-z0-9;-]+)\s*,\s*Signature=([0-9a-f]{64})$/;

function requestIds(): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    const hex = counter.toString(16).padStart(12, "0");
    return `5a4d0000-5ec7-4e75-a000-${hex}`;
  };
}

/** Authentication as the service checks it: a SigV4 header with an access key the sandbox issued. */
function authenticate(request: Request, state: AwsSecretsState): AwsSecretsError | undefined {
  const header = request.headers.get("authorization");
  if (header === null || header.trim() === "") {
    return new AwsSecretsError("MissingAuthenticationTokenException");
  }
  const match = SIGV4.exec(header.trim());
  if (!match) return new AwsSecretsError("IncompleteSignatureException");
  const [, accessKeyId, , region, service] = match as unknown as [string, string, string, string, string];
  if (!state.isIssuedAccessKey(accessKeyId)) return new AwsSecretsError("UnrecognizedClientException");
  if (service !== "secretsmanager") {
    return new AwsSecretsError(
      "InvalidSignatureException",
      "Credential should be scoped to correct service: 'secretsmanager'.",
    );
  }
  if (region !== state.region) {
    return new AwsSecretsError(
      "InvalidSignatureException",
      `Credential should be scoped to a valid region, not '${region}'.`,
    );
  }
  return undefined;
}

async function answer(request: Request, state: AwsSecretsState, requestId: string): Promise<Response> {
  const headers = { "x-amzn-requestid": requestId };
  const fail = (error: AwsSecretsError) => awsErrorResponse(error.type, error.message, error.status, headers);
  const target = /^secretsmanager\.([A-Za-z]+)$/.exec(request.headers.get("x-amz-target") ?? "")?.[1];
  if (target === undefined || !isAwsSecretsOperation(target)) {
    return fail(new AwsSecretsError("UnknownOperationException"));
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/x-amz-json-1\.1\s*(;|$)/i.test(contentType)) {
    return fail(new AwsSecretsError("SerializationException", `Expected Content-Type: ${AMZ_JSON}.`));
  }
  const denied = authenticate(request, state);
  if (denied) return fail(denied);
  if (state.throttled(target)) return fail(new AwsSecretsError("ThrottlingException", "Rate exceeded"));
  state.countCall(target);
  const text = await request.text();
  let input: unknown;
  try {
    input = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return fail(new AwsSecretsError("SerializationException"));
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return fail(new AwsSecretsError("SerializationException", "The request body must be a JSON object."));
  }
  const body = input as Record<string, unknown>;
  const injected = state.takeInjectedError(target, body.SecretId);
  if (injected) return fail(injected);
  try {
    const output = AWS_SECRETS_OPERATION_HANDLERS[target]({ state, operation: target }, body);
    return new Response(JSON.stringify(output), {
      status: 200,
      headers: { "content-type": AMZ_JSON, ...headers },
    });
  } catch (error) {
    if (error instanceof AwsSecretsError) return fail(error);
    return fail(
      new AwsSecretsError("InternalServiceError", error instanceof Error ? error.message : String(error)),
    );
  }
}

/**
 * The fake AWS Secrets Manager as MSW handlers, speaking awsJson1.1: `POST /` with
 * `X-Amz-Target: secretsmanager.<Operation>`. The same array works in-process (`setupServer`, base
 * `https://secretsmanager.us-east-1.amazonaws.com`) and over HTTP (`startSandbox` mounts it at `/aws-secrets`;
 * the SDK keeps an endpoint's path).
 */
export function createAwsSecretsSandboxHandlers(options: AwsSecretsSandboxOptions = {}): AwsSecretsSandbox {
  const state = options.state ?? new AwsSecretsState(options);
  const bases = normalizeBases(options.baseUrl ?? `https://secretsmanager.${state.region}.amazonaws.com`);
  const faults =
    options.faults ??
    new UpstreamFaults("aws-secrets", {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      now: state.now,
    });
  const nextRequestId = requestIds();
  const api = [routeRegExp(bases, "/"), routeRegExp(bases, "")].map((pattern) =>
    http.post(pattern, ({ request }) => answer(request, state, nextRequestId())),
  );
  const notFound = http.all(underBasesRegExp(bases), () =>
    awsErrorResponse(
      "UnknownOperationException",
      "Secrets Manager answers POST / with an X-Amz-Target header.",
      404,
      { "x-amzn-requestid": nextRequestId() },
    ),
  );
  const handlers = [
    createFaultHandler({
      bases,
      faults,
      flavor: awsSecretsFaultFlavor(nextRequestId),
      handlers: () => [...api, notFound],
    }),
    ...api,
    notFound,
  ];
  return {
    handlers,
    state,
    faults,
    bases,
    reset() {
      faults.clear();
      state.reset();
    },
  };
}
