import {
  ConnectorError,
  type ConnectorInstance,
  type ConnectorRuntimeOptions,
  createConnector,
  defineTool,
  listInputShape,
  listOutputSchema,
  READ_ANNOTATIONS,
} from "@switchyard/core";
import { z } from "zod";

/** What the fake upstream saw: calls, and which ones were aborted by cancellation. */
export interface FakeUpstreamLog {
  calls: string[];
  aborted: string[];
  /** The signal's reason for each abort of `fake_wait_slowly` (core's ConnectorError: cancelled or timeout). */
  abortReasons: unknown[];
  notes: { id: number; text: string }[];
  /** Resolves the currently blocked `fake_wait_slowly` call. */
  release?: () => void;
}

export function createFakeConnector(
  options: { allowWrites?: boolean; log?: FakeUpstreamLog; runtime?: ConnectorRuntimeOptions } = {},
): {
  connector: ConnectorInstance;
  log: FakeUpstreamLog;
} {
  const log: FakeUpstreamLog = options.log ?? {
    calls: [],
    aborted: [],
    abortReasons: [],
    notes: Array.from({ length: 45 }, (_, index) => ({ id: index + 1, text: `note ${index + 1}` })),
  };
  const listNotes = defineTool({
    name: "fake_list_notes",
    title: "List notes",
    description: "Lists notes, 10 per upstream page.",
    input: z.object(listInputShape(100, 30)),
    output: listOutputSchema(z.object({ id: z.number(), text: z.string() })),
    annotations: READ_ANNOTATIONS,
    execute: (input, context) =>
      context.list({
        limit: input.limit,
        cursor: input.cursor,
        start: 0,
        maxPageSize: 10,
        fetchPage: async (offset: number, size) => {
          log.calls.push(`list ${offset}`);
          const next = offset + size < log.notes.length ? offset + size : null;
          return { items: log.notes.slice(offset, offset + size), next };
        },
      }),
  });
  const getNote = defineTool({
    name: "fake_get_note",
    title: "Get a note",
    description: "Gets one note by id.",
    input: z.object({ id: z.number().int().positive() }),
    output: z.object({ id: z.number(), text: z.string() }),
    annotations: READ_ANNOTATIONS,
    async execute(input) {
      log.calls.push(`get ${input.id}`);
      const note = log.notes.find((candidate) => candidate.id === input.id);
      if (!note)
        throw new ConnectorError({
          code: "not_found",
          message: `No note ${input.id}.`,
          hint: "List notes to find ids.",
        });
      return note;
    },
  });
  const limited = defineTool({
    name: "fake_get_limited",
    title: "Always rate limited",
    description: "Fails with a long rate limit.",
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    async execute() {
      throw new ConnectorError({
        code: "rate_limited",
        message: "Slow down.",
        retryAfterMs: 3_600_000,
        notApplied: true,
      });
    },
  });
  const waitSlowly = defineTool({
    name: "fake_wait_slowly",
    title: "Wait",
    description: "Waits until released or cancelled.",
    input: z.object({}),
    output: z.object({ done: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    execute: (_input, context) =>
      new Promise((resolve, reject) => {
        log.calls.push("wait");
        log.release = () => resolve({ done: true });
        context.signal.addEventListener("abort", () => {
          log.aborted.push("wait");
          log.abortReasons.push(context.signal.reason);
          reject(context.signal.reason);
        });
      }),
  });
  const addNote = defineTool({
    name: "fake_add_note",
    title: "Add a note",
    description: "Adds a note.",
    input: z.object({ text: z.string().min(1) }),
    output: z.object({ id: z.number(), text: z.string() }),
    annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
    async execute(input) {
      log.calls.push("add");
      const note = { id: log.notes.length + 1, text: input.text };
      log.notes.push(note);
      return note;
    },
  });
  const connector = createConnector({
    id: "fake",
    title: "Fake",
    tools: [listNotes, getNote, limited, waitSlowly, addNote],
    buckets: {},
    client: () => undefined,
    options: {
      allowWrites: options.allowWrites ?? false,
      retry: { maxRetries: 0 },
      deadlineMs: 10_000,
      ...options.runtime,
    },
  });
  return { connector, log };
}
