/**
 * Slack message timestamps (`1767603600.000100`) as integers of microseconds, which order and compare exactly
 * (seconds times 1e6 stays below 2^53 until the year 2255).
 */

export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return `${seconds}.${String(fraction).padStart(6, "0")}`;
}

/** `1767603600`, `1767603600.5` or `1767603600.000100` to microseconds; undefined when it is not a timestamp. */
export function parseTs(text: string): number | undefined {
  const match = /^(\d{1,12})(?:\.(\d{0,6})\d*)?$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]);
  const fraction = Number((match[2] ?? "").padEnd(6, "0"));
  return seconds * 1_000_000 + fraction;
}

/** Epoch ms to microseconds. */
export const msToMicros = (ms: number) => Math.floor(ms) * 1000;
