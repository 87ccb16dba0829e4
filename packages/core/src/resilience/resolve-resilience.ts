import type { BulkheadSpec, CircuitBreakerSpec, ResilienceOptions } from "./circuit-breaker-spec.js";

export interface ResolvedResilience {
  readonly circuitBreaker: CircuitBreakerSpec | undefined;
  readonly bulkhead: BulkheadSpec | undefined;
}

/** Runtime options win over the connector's defaults, field by field; `false` turns a policy off. */
export function resolveResilience(
  connectorDefaults: ResilienceOptions | undefined,
  runtime: ResilienceOptions | undefined,
): ResolvedResilience {
  const pick = <Spec extends object>(base: Spec | false | undefined, override: Spec | false | undefined) => {
    if (override === false || (override === undefined && base === false)) return undefined;
    return { ...(base || {}), ...(override || {}) } as Spec;
  };
  return {
    circuitBreaker: pick(connectorDefaults?.circuitBreaker, runtime?.circuitBreaker),
    bulkhead: pick(connectorDefaults?.bulkhead, runtime?.bulkhead),
  };
}
