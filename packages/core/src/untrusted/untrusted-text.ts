/**
 * Text written by people other than the operator (issue bodies, chat messages, comments) reaches a model as
 * data, never as instructions. These helpers strip characters used to hide instructions from human reviewers
 * and wrap the text in delimiters the text itself cannot close.
 */

/** Unicode tag characters, zero-width characters, bidi controls, and other invisible formatting. */
const INVISIBLE =
  /[\u{E0000}-\u{E007F}\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/gu;
/** HTML comments render as nothing on github.com but are read by a model. */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

export const UNTRUSTED_OPEN = "<untrusted-content>";
export const UNTRUSTED_CLOSE = "</untrusted-content>";

export function sanitizeUntrustedText(text: string): string {
  return text.replace(HTML_COMMENT, "").replace(INVISIBLE, "");
}

/**
 * Sanitises and wraps text in `<untrusted-content>` delimiters. Any delimiter-like sequence inside the text
 * is defused, so the content cannot end the block early and talk as the tool.
 */
export function markUntrusted(text: string): string {
  const clean = sanitizeUntrustedText(text).replace(
    /<\s*\/?\s*untrusted-content\s*>/gi,
    "[untrusted-content]",
  );
  return `${UNTRUSTED_OPEN}${clean}${UNTRUSTED_CLOSE}`;
}
