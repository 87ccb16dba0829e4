import { encode } from "gpt-tokenizer/encoding/o200k_base";

/** Tokens as GPT-4o-class models count them: a real tokenizer, not a bytes-per-token guess. */
export function countTokens(text: string): number {
  return encode(text).length;
}
