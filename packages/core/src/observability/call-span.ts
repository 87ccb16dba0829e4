import { type Attributes, type Span, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { CallMetadata } from "../connector/call-metadata.js";
import type { ConnectorError } from "../errors/connector-error.js";
import { redactText } from "../redaction/redactor.js";

const TRACER_NAME = "@switchyard/core";

/**
 * One span per tool call through @opentelemetry/api only: without an SDK registered by the application the
 * API is a no-op, so Switchyard costs nothing until someone wants traces.
 */
export function startCallSpan(
  tracer: Tracer | undefined,
  attributes: { connector: string; tool: string; tenant: string },
): Span {
  return (tracer ?? trace.getTracer(TRACER_NAME)).startSpan(`switchyard.call ${attributes.tool}`, {
    attributes: {
      "switchyard.connector": attributes.connector,
      "switchyard.tool": attributes.tool,
      "switchyard.tenant": attributes.tenant,
    },
  });
}

export function endCallSpan(span: Span, metadata: CallMetadata, error: ConnectorError | undefined): void {
  const attributes: Attributes = {
    "switchyard.attempts": metadata.attempts,
    "switchyard.rate_limit_wait_ms": metadata.rateLimitWaitMs,
    "switchyard.pages": metadata.pages,
    "switchyard.output_bytes": metadata.outputBytes,
    "switchyard.truncated": metadata.truncated,
    "switchyard.outcome": error ? error.code : "ok",
  };
  if (metadata.circuit) attributes["switchyard.circuit_state"] = metadata.circuit.state;
  if (metadata.bulkhead) {
    attributes["switchyard.bulkhead_executing"] = metadata.bulkhead.executing;
    attributes["switchyard.bulkhead_queued"] = metadata.bulkhead.queued;
  }
  if (metadata.requestIds.length > 0)
    attributes["switchyard.upstream_request_ids"] = [...metadata.requestIds];
  span.setAttributes(attributes);
  if (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: redactText(`${error.code}: ${error.message}`) });
  } else {
    span.setStatus({ code: SpanStatusCode.OK });
  }
  span.end();
}
