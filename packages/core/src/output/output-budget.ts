import { measureOutput, type OutputSize } from "./measure-output.js";

export interface OutputBudget {
  /** Most tokens one result may take (approximate). Default 8,000. */
  readonly maxTokens: number;
  /** Most bytes one result may take. Default 32 KiB. */
  readonly maxBytes: number;
}

export const DEFAULT_OUTPUT_BUDGET: OutputBudget = { maxTokens: 8000, maxBytes: 32 * 1024 };

/** For a list result: the cursor that resumes the list at item `index` (items.length: after the last). */
export type ContinueAt = (index: number) => string | null;

export interface BudgetedOutput<Output> {
  readonly output: Output;
  readonly size: OutputSize;
  readonly truncated: boolean;
}

const MIN_STRING_KEPT = 200;

function fits(size: OutputSize, budget: OutputBudget): boolean {
  return size.tokens <= budget.maxTokens && size.bytes <= budget.maxBytes;
}

/**
 * Keeps a result within the budget. A list is cut to the longest prefix that fits, with `truncated: true`
 * and a `nextCursor` that resumes exactly at the first dropped item. Anything else (or a single list item
 * too large on its own) has its longest strings shortened, deterministically, with a marker saying how much
 * was cut. Never cuts silently: every cut sets `truncated`.
 */
export function applyOutputBudget<Output extends Record<string, unknown>>(
  output: Output,
  budget: OutputBudget,
  continueAt?: ContinueAt,
): BudgetedOutput<Output> {
  const size = measureOutput(output);
  if (fits(size, budget)) return { output, size, truncated: false };

  const items = output.items;
  if (continueAt && Array.isArray(items) && items.length > 0) {
    const withPrefix = (count: number) =>
      ({ ...output, items: items.slice(0, count), nextCursor: continueAt(count), truncated: true }) as Output;
    // Largest prefix that fits: sizes grow with the count, so binary search is exact.
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(measureOutput(withPrefix(middle)), budget)) low = middle;
      else high = middle - 1;
    }
    if (low > 0) {
      const cut = withPrefix(low);
      return { output: cut, size: measureOutput(cut), truncated: true };
    }
    // Not even one item fits: return the first, shortened, so the caller still moves forward.
    const single = shortenStrings(withPrefix(1), budget);
    return { output: single, size: measureOutput(single), truncated: true };
  }

  const shortened = shortenStrings({ ...output, truncated: true }, budget);
  return { output: shortened, size: measureOutput(shortened), truncated: true };
}

interface StringSlot {
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly value: string;
}

function collectStrings(value: unknown, slots: StringSlot[], depth = 0): void {
  if (depth > 20 || value === null || typeof value !== "object") return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((entry, index) => [index, entry])
    : Object.entries(value);
  for (const [key, entry] of entries) {
    if (typeof entry === "string")
      slots.push({ holder: value as Record<string, unknown>, key, value: entry });
    else collectStrings(entry, slots, depth + 1);
  }
}

/** Halves the longest string (keeping its start) until the result fits or nothing long is left. */
function shortenStrings<Output>(output: Output, budget: OutputBudget): Output {
  const copy = structuredClone(output);
  for (let round = 0; round < 200; round += 1) {
    if (fits(measureOutput(copy), budget)) break;
    const slots: StringSlot[] = [];
    collectStrings(copy, slots);
    const longest = slots.reduce<StringSlot | undefined>(
      (best, slot) => (best === undefined || slot.value.length > best.value.length ? slot : best),
      undefined,
    );
    if (!longest || longest.value.length <= MIN_STRING_KEPT) break;
    const original = longest.value;
    const keep = Math.max(MIN_STRING_KEPT, Math.floor(original.length / 2));
    const removed = original.length - keep;
    (longest.holder as Record<string | number, unknown>)[longest.key] =
      `${original.slice(0, keep)}… [truncated ${removed} characters]`;
  }
  return copy;
}
