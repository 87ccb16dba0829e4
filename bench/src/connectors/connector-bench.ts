import type { ConnectorInstance } from "@switchyard/core";

/** One measured pair: the same upstream work through a Switchyard tool call and through the bare client. */
export interface OverheadScenario {
  readonly name: string;
  /** `octokit`, `WebClient`, `pg.Pool`: what the baseline is. */
  readonly bareClient: string;
  readonly switchyard: () => Promise<unknown>;
  readonly bare: () => Promise<unknown>;
}

export interface OverheadSetup {
  /** What the upstream is (the fixed-body loopback server, the sandbox, a real PostgreSQL). */
  readonly upstream: string;
  readonly scenarios: readonly OverheadScenario[];
  /** Upstream requests the server saw, for checking that both sides do the same work. */
  readonly upstreamRequests?: () => Promise<number>;
  readonly notes?: readonly string[];
  close(): Promise<void>;
}

/** A big result next to the raw upstream JSON it was made from. */
export interface OutputMeasurement {
  readonly call: string;
  /** Items in the result and whether the output budget cut it. */
  readonly items: number;
  readonly truncated: boolean;
  readonly hasCursor: boolean;
  /** The tool result as a model sees it (structured JSON). */
  readonly output: unknown;
  /** The upstream's response bodies behind it, concatenated as received. */
  readonly rawUpstream: string;
  /** Target: most tokens for this result, when the issue sets one. */
  readonly maxTokens?: number;
  /** Target: answered within the output budget (as core measures it) with a nextCursor. */
  readonly budgetTarget?: boolean;
  readonly notes?: readonly string[];
}

/**
 * What a connector contributes to the benchmarks. Each part is optional: a connector that is not ready for
 * a benchmark simply leaves it out, and the benchmark says so.
 */
export interface ConnectorBench {
  readonly id: string;
  readonly packageName: string;
  /** The connector with default settings (read-only toolset), built without touching the network. */
  listing(): ConnectorInstance;
  /** Tool calls vs the bare official client against the same loopback upstream (or the real database). */
  overhead?(options: { readonly fixedServer: boolean }): Promise<OverheadSetup>;
  /** Also measure against the sandbox (MSW handlers), not only the fixed-body server; one run is enough. */
  readonly compareWithSandbox?: boolean;
  /** Output tokens of the connector's characteristic big results. */
  outputs?(): Promise<OutputMeasurement[]>;
}
