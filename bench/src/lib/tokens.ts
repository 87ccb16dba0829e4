import { encode } from "gpt-tokenizer/encoding/o200k_base";

/** The tokenizer every token count here uses, the same one `switchyard list` uses. */
export const TOKENIZER = "o200k_base (gpt-tokenizer 4.0.0)";

/** Tokens of a text as GPT-4o-class models count them. */
export function countTokens(text: string): number {
  return encode(text).length;
}

/** Tokens of a value serialized as compact JSON (how a tool result or a tools/list entry travels). */
export function jsonTokens(value: unknown): number {
  return countTokens(JSON.stringify(value) ?? "");
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}
