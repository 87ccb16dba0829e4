import {
  ConnectorError,
  type ConnectorInstance,
  createConnector,
  defineTool,
  READ_ANNOTATIONS,
} from "@switchyard/core";
import { z } from "zod";

/** What the fake upstream saw. */
export interface NotesLog {
  calls: { tool: string; input: unknown; tenant: string; deadlineInMs: number }[];
  aborted: string[];
  notes: { id: number; text: string }[];
}

const WRITE_ANNOTATIONS = { readOnly: false, destructive: false, idempotent: false, openWorld: true };

/** A small in-process connector ("notes") built on core's public API: no network anywhere. */
export function createNotesConnector(options: { allowWrites?: boolean; id?: string } = {}): {
  connector: ConnectorInstance;
  log: NotesLog;
} {
  const id = options.id ?? "notes";
  const log: NotesLog = {
    calls: [],
    aborted: [],
    notes: [
      { id: 1, text: "Buy milk" },
      { id: 2, text: "Ship the adapters" },
    ],
  };
  const record = (tool: string, input: unknown, context: { tenant: string; deadlineAt: number }) =>
    log.calls.push({ tool, input, tenant: context.tenant, deadlineInMs: context.deadlineAt - Date.now() });

  const getNote = defineTool({
    name: `${id}_get_note`,
    title: "Get a note",
    description: "Gets one note by its numeric id.",
    input: z.object({ id: z.number().int().positive().describe("The note id.") }),
    output: z.object({ id: z.number(), text: z.string() }),
    annotations: READ_ANNOTATIONS,
    async execute(input, context) {
      record(`${id}_get_note`, input, context);
      const note = log.notes.find((candidate) => candidate.id === input.id);
      if (!note) {
        throw new ConnectorError({
          code: "not_found",
          message: `No note ${input.id}.`,
          hint: "Search the notes to find ids.",
        });
      }
      return note;
    },
  });
  const searchNotes = defineTool({
    name: `${id}_search_notes`,
    title: "Search notes",
    description: "Finds notes whose text contains the query (case-insensitive).",
    input: z.object({ query: z.string().min(1), limit: z.number().int().min(1).max(50).default(10) }),
    output: z.object({ items: z.array(z.object({ id: z.number(), text: z.string() })) }),
    annotations: READ_ANNOTATIONS,
    async execute(input, context) {
      record(`${id}_search_notes`, input, context);
      const query = input.query.toLowerCase();
      return {
        items: log.notes.filter((note) => note.text.toLowerCase().includes(query)).slice(0, input.limit),
      };
    },
  });
  const getLimited = defineTool({
    name: `${id}_get_limited`,
    title: "Always rate limited",
    description: "Fails with a rate limit.",
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    async execute() {
      throw new ConnectorError({
        code: "rate_limited",
        message: "Slow down.",
        retryAfterMs: 30_000,
        notApplied: true,
      });
    },
  });
  const waitSlowly = defineTool({
    name: `${id}_wait_slowly`,
    title: "Wait",
    description: "Waits until cancelled.",
    input: z.object({}),
    output: z.object({ done: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    execute: (input, context) =>
      new Promise((_resolve, reject) => {
        record(`${id}_wait_slowly`, input, context);
        context.signal.addEventListener("abort", () => {
          log.aborted.push(`${id}_wait_slowly`);
          reject(context.signal.reason);
        });
      }),
  });
  const addNote = defineTool({
    name: `${id}_add_note`,
    title: "Add a note",
    description: "Adds a note and returns it with its new id.",
    input: z.object({ text: z.string().min(1).describe("The note text.") }),
    output: z.object({ id: z.number(), text: z.string() }),
    annotations: WRITE_ANNOTATIONS,
    async execute(input, context) {
      record(`${id}_add_note`, input, context);
      const note = { id: log.notes.length + 1, text: input.text };
      log.notes.push(note);
      return note;
    },
  });
  const connector = createConnector({
    id,
    title: "Notes",
    tools: [getNote, searchNotes, getLimited, waitSlowly, addNote],
    buckets: {},
    client: () => undefined,
    options: { allowWrites: options.allowWrites ?? false, retry: { maxRetries: 0 }, deadlineMs: 10_000 },
  });
  return { connector, log };
}
