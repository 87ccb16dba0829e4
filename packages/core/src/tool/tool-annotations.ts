/**
 * What a tool does to the world. MCP exposes these as hints; Switchyard also acts on them: writes are off
 * unless allowed, and only idempotent tools are retried after an ambiguous failure.
 */
export interface ToolAnnotations {
  /** Changes nothing upstream. */
  readonly readOnly: boolean;
  /** May delete or overwrite data, or reach people (posting, merging, dropping). */
  readonly destructive: boolean;
  /** Repeating the same call has no further effect. */
  readonly idempotent: boolean;
  /** Talks to a system outside the operator's control (every SaaS upstream). */
  readonly openWorld: boolean;
}

export const READ_ANNOTATIONS: ToolAnnotations = {
  readOnly: true,
  destructive: false,
  idempotent: true,
  openWorld: true,
};
