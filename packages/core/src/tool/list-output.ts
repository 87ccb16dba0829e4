import { z } from "zod";

/**
 * Input fields every list tool takes. `limit` has no description: its bounds and default say it all, and
 * every token here is repeated in each list tool of tools/list.
 */
export function listInputShape(maxLimit = 100, defaultLimit = 30) {
  return {
    limit: z.number().int().min(1).max(maxLimit).default(defaultLimit),
    cursor: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe("nextCursor of the previous call with the same arguments."),
  };
}

/** Output schema of a list tool: `items`, `nextCursor` (null at the end) and any extra fields. */
export function listOutputSchema<Item extends z.ZodType, Extra extends z.ZodRawShape = Record<never, never>>(
  item: Item,
  extra?: Extra,
) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe("Pass as cursor to get the next items; null when there are no more."),
    ...(extra ?? ({} as Extra)),
  });
}
