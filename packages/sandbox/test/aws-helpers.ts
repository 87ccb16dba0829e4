import dns from "node:dns";
import net from "node:net";
import { SecretsManagerClient, type SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";
import { AWS_SANDBOX_ACCESS_KEY_ID, AWS_SANDBOX_SECRET_ACCESS_KEY } from "../src/index.js";

/** Static sandbox credentials: the SDK never runs its provider chain (no IMDS probe). */
export const SANDBOX_CREDENTIALS = {
  accessKeyId: AWS_SANDBOX_ACCESS_KEY_ID,
  secretAccessKey: AWS_SANDBOX_SECRET_ACCESS_KEY,
};

/** A real Secrets Manager client: static credentials, one attempt unless told otherwise. */
export function secretsClient(config: SecretsManagerClientConfig = {}): SecretsManagerClient {
  return new SecretsManagerClient({
    region: "us-east-1",
    credentials: SANDBOX_CREDENTIALS,
    maxAttempts: 1,
    ...config,
  });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the call to fail, but it succeeded.");
}

/**
 * Records every outgoing TCP connect and DNS lookup in this process, so a test can prove the SDK talked to
 * loopback only (never the EC2 metadata address 169.254.169.254, never AWS).
 */
export class NetGuard {
  readonly connects: string[] = [];
  readonly lookups: string[] = [];
  #restore: (() => void) | undefined;

  install(): void {
    const connect = net.Socket.prototype.connect;
    const lookup = dns.lookup;
    const promisesLookup = dns.promises.lookup;
    const connects = this.connects;
    const lookups = this.lookups;
    (net.Socket.prototype as any).connect = function (this: net.Socket, ...args: any[]) {
      const [first, second] = args;
      const target = Array.isArray(first) ? first[0] : first;
      if (typeof target === "object" && target !== null) {
        connects.push(target.path ?? `${target.host ?? "localhost"}:${target.port}`);
      } else if (typeof target === "number" || /^\d+$/.test(String(target))) {
        connects.push(`${typeof second === "string" ? second : "localhost"}:${target}`);
      } else {
        connects.push(String(target));
      }
      return (connect as any).apply(this, args);
    };
    (dns as any).lookup = function (hostname: string, ...rest: any[]) {
      lookups.push(hostname);
      return (lookup as any).call(this, hostname, ...rest);
    };
    (dns.promises as any).lookup = function (hostname: string, ...rest: any[]) {
      lookups.push(hostname);
      return (promisesLookup as any).call(this, hostname, ...rest);
    };
    this.#restore = () => {
      net.Socket.prototype.connect = connect;
      (dns as any).lookup = lookup;
      (dns.promises as any).lookup = promisesLookup;
    };
  }

  uninstall(): void {
    this.#restore?.();
    this.#restore = undefined;
  }

  /** Connect targets and looked-up names that are not loopback. */
  nonLoopback(): string[] {
    return [
      ...this.connects.filter((target) => !/^(127\.0\.0\.1|::1|\[::1\]|localhost):\d+$/.test(target)),
      ...this.lookups.filter((host) => !["127.0.0.1", "::1", "localhost"].includes(host)),
    ];
  }
}
