/** Size of a result as a model will see it. */
export interface OutputSize {
  readonly bytes: number;
  /** Approximate tokens: JSON averages about 3 bytes a token, so this errs on the large side. */
  readonly tokens: number;
}

export const BYTES_PER_TOKEN = 3;

export function measureOutput(value: unknown): OutputSize {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
  return { bytes, tokens: Math.ceil(bytes / BYTES_PER_TOKEN) };
}
