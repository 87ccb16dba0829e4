import { encode } from "gpt-tokenizer/encoding/o200k_base";

export const TOKENIZER_NAME = "o200k_base via gpt-tokenizer";

/** Tokens as GPT-4o-class models count them: a real tokenizer, not a bytes-per-token guess. */
export function countTokens(text: string): number {
  return encode(text).length;
}
